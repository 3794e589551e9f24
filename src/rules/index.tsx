/** "How Lantern decides" page entry: styles, then the Preact app. */
import { render } from 'preact';
import { installStyles } from '../ui/components/styles.js';
import { t } from '../ui/i18n.js';
import { RulesPage } from './RulesPage.js';

installStyles();
document.title = t('rulesPageTitle');
document.body.classList.add('options');
render(<RulesPage />, document.getElementById('app')!);
