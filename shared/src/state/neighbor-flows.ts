// The neighbors domain's flows, as machines written as data (filled in by its builder).
export {};
