/** Welcome page entry (opened once, on install): styles, then the Preact app. */
import { render } from 'preact';
import { installStyles } from '../ui/components/styles.js';
import { t } from '../ui/i18n.js';
import { Welcome } from './Welcome.js';

installStyles();
document.title = t('welcomeTitle');
document.body.classList.add('options');
render(<Welcome />, document.getElementById('app')!);
