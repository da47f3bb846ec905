// Tables of the community-office module (notices, urgent alerts, polls, activities): filled in by its builder.
export {};
