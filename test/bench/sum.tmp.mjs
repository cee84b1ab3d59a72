import { summarize, bodyText } from '../../server/dist/index.js';
