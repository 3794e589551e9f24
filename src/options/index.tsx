/** Options page entry: styles, then the Preact app. */
import { render } from 'preact';
import { installStyles } from '../ui/components/styles.js';
import { t } from '../ui/i18n.js';
import { Options } from './Options.js';

installStyles();
document.title = t('optionsTitle');
document.body.classList.add('options');
render(<Options />, document.getElementById('app')!);
