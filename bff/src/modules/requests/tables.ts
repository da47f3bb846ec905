// Tables of the resident-requests module: filled in by its builder.
export {};
