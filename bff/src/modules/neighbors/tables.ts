// Tables of the neighbors module (posts, comments, likes, reports, interest groups): filled in by its builder.
export {};
