import { render } from 'preact';
import { App } from './app.js';
import { takeKeyFromAddress } from './lib/key-store.js';
import './styles.css';

takeKeyFromAddress();
render(<App />, document.getElementById('app')!);
