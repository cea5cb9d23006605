/** The one prom-client registry every metric of the process registers on (served at /metrics). */
import { Registry } from 'prom-client';

export const registry = new Registry();
