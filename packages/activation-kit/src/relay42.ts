export * from "@activation-kit/relay42";
