export * from "@activation-kit/marigold-engage";
