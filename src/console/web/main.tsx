/** Entry point of the console bundle (built by hack/build-console.ts into dist/console/). */
import { render } from 'preact';
import { App } from './app.js';

render(<App />, document.getElementById('app')!);
