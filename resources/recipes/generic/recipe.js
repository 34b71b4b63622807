/*
 * Generic recipe for any web chat: the unread count from the page title, "(3) Inbox" or
 * "Inbox (3)", the convention most web chats follow; rafatosta/zapzap reads WhatsApp's count the
 * same way (zapzap/webengine/WebView.py, `_on_title_changed`). Nothing else on an unknown page can
 * be read safely, so this recipe reports only `unread` (all of it direct) and shows the ownership
 * banner.
 */
(function () {
  'use strict';
  const R = Relaydesk;

  function titleCount() {
    const found = /\((\d+)\)|\[(\d+)\]|^(\d+)\b/.exec(document.title || '');
    return found ? parseInt(found[1] || found[2] || found[3], 10) : 0;
  }

  R.register({
    scan() { return { unread: { direct: titleCount(), muted: 0 } }; },
    anchors() { return {}; },  // an unknown page promises no structure
  });
})();
