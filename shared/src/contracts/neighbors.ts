// Contracts of the neighbors domain: filled in by its builder.
export {};
