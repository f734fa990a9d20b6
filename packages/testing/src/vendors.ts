/** The vendors a mock can be started for: the package that ships each API description, and how to point its client at a mock. */
export const VENDORS = {
  relay42: {
    title: "Relay42 Data Activation",
    packageName: "@activation-kit/relay42",
    factory: "createRelay42Client",
    clientOptions: 'siteNumber: 1234, auth: { apiIdentifier: "test-id", accessToken: "test-token" }',
  },
  rudderstack: {
    title: "RudderStack Activation",
    packageName: "@activation-kit/rudderstack",
    factory: "createRudderStackClient",
    clientOptions: 'accessToken: "test-token"',
  },
  contacthub: {
    title: "Contacthub",
    packageName: "@activation-kit/contacthub",
    factory: "createContacthubClient",
    clientOptions: 'token: "test-token", workspaceId: "40b8a6c4-2ea6-4c3f-a8b8-1f1b2e9d7a11"',
  },
  releva: {
    title: "Releva Profile Upsert",
    packageName: "@activation-kit/releva",
    factory: "createRelevaClient",
    clientOptions: 'secretKey: "test-secret"',
  },
  "marigold-engage": {
    title: "Marigold Engage",
    packageName: "@activation-kit/marigold-engage",
    factory: "createMarigoldEngageClient",
    clientOptions: 'apiKey: "test-key", apiSecret: "test-secret", organization: "marigold_1"',
  },
} as const;

/** A vendor slug: the part after `@activation-kit/` in its package name. */
export type Vendor = keyof typeof VENDORS;

export const vendorNames = Object.keys(VENDORS) as Vendor[];

export function isVendor(value: string): value is Vendor {
  return Object.prototype.hasOwnProperty.call(VENDORS, value);
}

/** One line of code that creates the vendor's client against `baseUrl` (test credentials: the mock checks presence, not value). */
export function clientExample(vendor: Vendor, baseUrl: string): string {
  const v = VENDORS[vendor];
  return `import { ${v.factory} } from "${v.packageName}"; const client = ${v.factory}({ baseUrl: "${baseUrl}", ${v.clientOptions} });`;
}
