import { launch } from './main';

/** Production HTTP process. */
await launch('server');
