import { launch } from './main';

/** Production worker process: BullMQ workers and the outbox relay. */
await launch('worker');
