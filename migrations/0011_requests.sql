-- Hand-written while the domain is built; regenerated with drizzle-kit before it lands.
SELECT 1;
