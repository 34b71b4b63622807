/* The Messenger sandbox page: the DOM the messenger recipe reads (saved messenger.com page, 2021). */
(function () {
  'use strict';
  const h = Sandbox.h;
  const BASE = '/messenger';  // the sandbox serves this page under /messenger/, Messenger under /

  function threadFromPath() {
    const found = /\/t\/([^/]+)/.exec(location.pathname);
    return found ? found[1] : null;
  }

  function row(chat, ui) {
    const last = ui.lastMessage(chat);
    const preview = last ? (last.direction === 'out' ? 'You: ' : '') + last.text + ' · ' + ui.clock(last.time) : '';
    return h('div', { 'data-testid': 'mwthreadlist-item' },
      h('div', { role: 'row', class: 'row' + (chat.id === ui.active ? ' active' : '') },
        h('div', { role: 'gridcell', class: 'row-body' },
          h('a', { role: 'link', tabindex: '0', href: '/t/' + chat.id + '/', class: 'row-top',
            onclick: function (event) { event.preventDefault(); ui.open(chat.id); } },
            h('div', { class: 'avatar' }, chat.name.slice(0, 1)),
            h('div', { class: 'row-body' },
              h('span', { dir: 'auto', class: 'name' }, h('span', null, chat.name)),
              h('div', { class: 'row-bottom' }, h('span', { dir: 'auto', class: 'preview' }, preview))))),
        h('div', { role: 'gridcell' },
          chat.muted ? h('div', { 'aria-label': 'Muted', role: 'img', class: 'muted-icon' }, 'muted') : null,
          chat.unread ? h('div', { role: 'button', 'aria-label': 'Mark as Read', class: 'badge dot' }, '●') : null)));
  }

  function message(chat, m) {
    const when = Sandbox.sentTime(m.time);
    const heading = h('h4', { class: 'visually-hidden' }, (m.direction === 'out' ? 'You' : chat.name) + ' sent ' + when);
    const cell = m.direction === 'out'
      ? h('div', { role: 'gridcell', 'data-scope': 'messages_table' }, heading,
        h('div', { 'data-testid': 'outgoing_message', class: 'bubble out' }, h('div', { dir: 'auto' }, m.text)))
      : h('div', { role: 'gridcell', 'data-scope': 'messages_table' }, heading,
        h('div', { 'data-testid': 'incoming_group' }, h('div', { 'data-testid': 'messenger_incoming_text_row', class: 'bubble' },
          h('div', { dir: 'auto' }, m.text))));
    return h('div', { role: 'row', class: 'stack', 'data-testid': m.direction === 'out' ? 'mwchat_outgoing_row' : null }, cell);
  }

  Sandbox.start({
    name: 'messenger',
    initialChat: threadFromPath,
    onOpen: function (chatId) { history.pushState(null, '', BASE + '/t/' + chatId + '/'); },
    anchors: {
      thread_list: '[data-testid="MWJewelThreadListContainer"]',
      composer: '[role="main"] [role="textbox"][contenteditable="true"]',
    },
    setup: function (ui) {
      Sandbox.composer(ui, document.getElementById('composer'), document.getElementById('send'));
    },
    render: function (state, ui) {
      const list = document.getElementById('threads');
      list.replaceChildren.apply(list, state.chats.map(function (chat) { return row(chat, ui); }));
      const chat = ui.activeChat();
      const head = document.getElementById('thread-head');
      const grid = document.getElementById('messages');
      document.getElementById('compose').style.display = chat ? '' : 'none';
      if (!chat) { head.replaceChildren(); grid.replaceChildren(h('div', { class: 'empty' }, 'Select a chat')); return; }
      head.replaceChildren(h('h2', { dir: 'auto' }, h('span', null, chat.name)));
      grid.replaceChildren.apply(grid, chat.messages.map(function (m) { return message(chat, m); }));
      grid.scrollTop = grid.scrollHeight;
    },
  });
})();
