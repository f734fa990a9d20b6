export * from "@activation-kit/rudderstack";
