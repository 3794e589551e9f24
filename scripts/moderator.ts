/** `npm run moderator -- grant|revoke|list ...`: see src/server/moderation/roles-cli.ts. */
import { runModeratorCommand } from '../src/server/moderation/roles-cli.js';

process.exitCode = await runModeratorCommand(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
