// Entry of the board page (templates/board.html).
import { startBoardPage } from './board-page.js';

startBoardPage(document.querySelector('[data-meeting-id]'));
