import '@xterm/xterm/css/xterm.css';
import './styles.css';
import { render } from 'preact';
import { App } from './app';
import { live } from './live';

live.connect();
const root = document.getElementById('app');
if (root) render(<App />, root);
