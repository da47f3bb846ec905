export * from './jobs';
export * from './notifications';
export * from './places';
export * from './proxies';
export * from './users';
