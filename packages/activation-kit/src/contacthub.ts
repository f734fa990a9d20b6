export * from "@activation-kit/contacthub";
