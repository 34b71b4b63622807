/* The LINE Official Account chat sandbox page: the selectors of public automation code (see line_oa.html). */
(function () {
  'use strict';
  const h = Sandbox.h;
  const BASE = '/line_oa';  // the sandbox serves this page under /line_oa/
  const ACCOUNT = '@relaydesk-sandbox';

  function chatFromPath() {
    const found = /\/chat\/(U[0-9a-f]+)/.exec(location.pathname);
    return found ? found[1] : null;
  }

  function row(chat, ui) {
    const last = ui.lastMessage(chat);
    return h('a', { class: 'list-group-item list-group-item-action list-group-item-chat row' + (chat.id === ui.active ? ' active' : ''),
      href: '/' + ACCOUNT + '/chat/' + chat.id, onclick: function (event) { event.preventDefault(); ui.open(chat.id); } },
      h('div', { class: 'avatar' }, chat.name.slice(0, 1)),
      h('div', { class: 'row-body' },
        h('div', { class: 'row-top' }, h('h6', { class: 'text-truncate name' }, chat.name),
          h('div', { class: 'datetime time' }, last ? ui.clock(last.time) : '')),
        h('div', { class: 'row-bottom' }, h('div', { class: 'text-muted small text-truncate-box preview' }, last ? last.text : ''),
          chat.unread ? h('span', { class: 'badge badge-pin' }, String(chat.unread)) : null)));
  }

  function message(chat, m) {
    const own = m.direction === 'out';
    return h('div', { class: 'chat ' + (own ? 'chat-reverse' : 'chat-secondary') + ' stack', 'data-id': m.id },
      h('div', { class: 'chat-header' }, h('span', null, own ? ACCOUNT : chat.name)),
      h('div', { class: 'chat-body bubble' + (own ? ' out' : '') }, h('div', { class: 'chat-item-text' }, m.text),
        h('div', { class: 'chat-sub meta' }, h('div', { class: 'text-muted small' }, new Date(m.time * 1000).toTimeString().slice(0, 5)))));
  }

  Sandbox.start({
    name: 'line_oa',
    initialChat: chatFromPath,
    onOpen: function (chatId) { history.pushState(null, '', BASE + '/' + ACCOUNT + '/chat/' + chatId); },
    anchors: { chat_list: '.list-group', composer: '.chat-footer' },
    setup: function (ui) { Sandbox.composer(ui, document.getElementById('composer'), document.getElementById('send')); },
    render: function (state, ui) {
      const list = document.getElementById('chats');
      list.replaceChildren.apply(list, state.chats.map(function (chat) { return row(chat, ui); }));
      const chat = ui.activeChat();
      const title = document.getElementById('chat-title');
      const messages = document.getElementById('messages');
      document.getElementById('footer').style.display = chat ? '' : 'none';
      if (!chat) { title.replaceChildren(); messages.replaceChildren(h('div', { class: 'empty' }, 'Select a chat')); return; }
      title.replaceChildren(h('h4', { class: 'text-truncate' }, chat.name));
      messages.replaceChildren.apply(messages, chat.messages.map(function (m) { return message(chat, m); }));
      messages.scrollTop = messages.scrollHeight;
    },
  });
})();
