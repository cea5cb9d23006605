/** Moved to the informer leaf (src/informer/), shared by the server and the clients. */
export * from '../informer/object-cache.js';
