import { launch } from './main';

/** `pnpm dev` / `pnpm start`: HTTP and workers in one process, embedded defaults. */
await launch('all');
