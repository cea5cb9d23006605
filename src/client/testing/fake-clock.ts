/** Moved to the informer leaf (src/informer/testing/). */
export * from '../../informer/testing/fake-clock.js';
