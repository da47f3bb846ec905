export * from './jobs';
export * from './lockers';
export * from './market';
export * from './notifications';
export * from './orders';
export * from './places';
export * from './proxies';
export * from './users';
