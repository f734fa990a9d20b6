export * from "@activation-kit/core";
