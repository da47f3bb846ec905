// Contracts of the requests domain: filled in by its builder.
export {};
