/** Popup entry: styles, then the Preact app. */
import { render } from 'preact';
import { installStyles } from '../ui/components/styles.js';
import { t } from '../ui/i18n.js';
import { Popup } from './Popup.js';

installStyles();
document.title = t('appName');
document.body.classList.add('popup');
render(<Popup />, document.getElementById('app')!);
