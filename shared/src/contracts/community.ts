// Contracts of the community domain: filled in by its builder.
export {};
