/* The Instagram Direct sandbox page: the DOM the instagram recipe reads (saved page, ~March 2025). */
(function () {
  'use strict';
  const h = Sandbox.h;
  const BASE = '/instagram';  // the sandbox serves this page under /instagram/, Instagram under /

  function threadFromPath() {
    const found = /\/direct\/t\/([^/]+)/.exec(location.pathname);
    return found ? found[1] : null;
  }

  function ago(seconds) {
    const minutes = Math.max(0, Math.round((Date.now() / 1000 - seconds) / 60));
    return { label: minutes + ' minutes ago', short: minutes + 'm' };
  }

  function row(chat, ui) {
    const last = ui.lastMessage(chat);
    const when = last ? ago(last.time) : null;
    return h('div', { role: 'button', tabindex: '0', onclick: function () { ui.open(chat.id); } },
      h('div', { role: 'listitem', class: 'row' + (chat.id === ui.active ? ' active' : '') },
        h('img', { alt: 'User avatar', class: 'avatar', src: 'data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==' }),
        h('div', { class: 'row-body' },
          h('div', { class: 'row-top' }, h('span', { dir: 'auto', class: 'name' }, chat.name),
            chat.muted ? h('span', { 'aria-label': 'Muted', role: 'img', class: 'muted-icon' }, 'muted') : null),
          h('div', { class: 'row-bottom' },
            h('span', { dir: 'auto', class: 'preview' }, last ? (last.direction === 'out' ? 'You: ' : '') + last.text : 'Active'),
            when ? h('abbr', { 'aria-label': when.label, class: 'time' }, h('span', { 'aria-hidden': 'true' }, when.short)) : null)),
        chat.unread ? h('div', { 'aria-label': 'Unread', role: 'img', class: 'badge dot' }, '●') : null));
  }

  function message(chat, m) {
    return h('div', { role: 'row' }, h('div', { role: 'gridcell', 'data-scope': 'messages_table', 'data-release-focus-from': 'CLICK', class: 'stack' },
      h('h5', { class: 'visually-hidden' }, h('span', null, m.direction === 'out' ? 'You sent' : chat.name + ' sent')),
      h('div', { role: 'button', 'aria-label': 'Double tap to like', class: 'bubble' + (m.direction === 'out' ? ' out' : '') },
        h('span', { dir: 'auto' }, m.text))));
  }

  function conversation(chat, ui) {
    const composer = h('div', { role: 'textbox', contenteditable: 'true', 'aria-label': 'Message', 'data-lexical-editor': 'true',
      class: 'box', 'data-placeholder': 'Message...' });
    const send = h('div', { role: 'button', tabindex: '0', class: 'send-button', id: 'send' }, 'Send');
    Sandbox.composer(ui, composer, send);
    // A date separator before the first message and after every gap of an hour or more.
    const rows = [];
    chat.messages.forEach(function (m, i) {
      if (i === 0 || m.time - chat.messages[i - 1].time >= 3600) {
        rows.push(h('div', { role: 'row' }, h('div', { 'data-scope': 'date_break', class: 'empty' }, Sandbox.dayTime(m.time))));
      }
      rows.push(message(chat, m));
    });
    const grid = h('div', { 'aria-label': 'Messages in conversation with ' + chat.name, role: 'grid', class: 'messages' }, rows);
    return h('div', { 'aria-label': 'Conversation with ' + chat.name, role: 'main', class: 'pane' },
      h('div', { class: 'pane-head' }, h('span', { dir: 'auto' }, chat.name),
        h('div', { role: 'button', 'aria-label': 'Conversation information' })),
      grid, h('div', { class: 'compose' }, composer, send));
  }

  let drawn = { chat: null, count: -1, composer: null };
  Sandbox.start({
    name: 'instagram',
    initialChat: threadFromPath,
    onOpen: function (chatId) { history.pushState(null, '', BASE + '/direct/t/' + chatId + '/'); },
    anchors: {
      thread_list: '[aria-label="Chats"][role="list"]',
      composer: '[role="textbox"][contenteditable="true"][aria-label="Message"]',
    },
    render: function (state, ui) {
      const list = document.getElementById('threads');
      list.replaceChildren.apply(list, state.chats.map(function (chat) { return row(chat, ui); }));
      const unreadThreads = state.chats.filter(function (c) { return c.unread && !c.muted; }).length;
      document.getElementById('inbox-count').textContent = unreadThreads ? String(unreadThreads) : '';
      const chat = ui.activeChat();
      const pane = document.getElementById('conversation');
      if (!chat) { pane.replaceChildren(h('div', { class: 'empty' }, 'Your messages')); drawn = { chat: null }; return; }
      // Keep a half-typed reply when only the message list changed.
      const typed = drawn.chat === chat.id && drawn.composer ? drawn.composer.textContent : '';
      pane.replaceChildren(conversation(chat, ui));
      const composer = pane.querySelector('[role="textbox"]');
      if (typed) composer.textContent = typed;
      drawn = { chat: chat.id, composer: composer };
      const grid = pane.querySelector('[role="grid"]');
      grid.scrollTop = grid.scrollHeight;
    },
  });
})();
