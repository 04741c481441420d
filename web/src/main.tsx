import { render } from 'preact';
import 'uplot/dist/uPlot.min.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/forms.css';
import './styles/tables.css';
import './styles/components.css';
import './styles/function.css';
import { App } from './app';
import { startRouter } from './router';
import { loadProviders, loadSession } from './session';

startRouter();
void loadProviders();
void loadSession();

const root = document.getElementById('app');
if (root) render(<App />, root);
