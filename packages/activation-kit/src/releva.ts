export * from "@activation-kit/releva";
