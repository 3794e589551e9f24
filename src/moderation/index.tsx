/** The moderation page (served by the server at /moderate): Preact, no inline styles or scripts (strict CSP). */
import { render } from 'preact';
import { App } from './App.js';

render(<App />, document.getElementById('app')!);
