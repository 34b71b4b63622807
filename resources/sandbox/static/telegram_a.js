/* The Telegram Web A sandbox page: the DOM of Ajaxy/telegram-tt as the telegram_a recipe reads it. */
(function () {
  'use strict';
  const h = Sandbox.h;

  function row(chat, ui) {
    const last = ui.lastMessage(chat);
    const kind = chat.group ? 'group' : 'private';
    return h('div', { class: 'ListItem Chat chat-item-clickable ' + kind + (chat.id === ui.active ? ' selected' : '') },
      h('a', { class: 'ListItem-button row' + (chat.id === ui.active ? ' active' : ''), href: '#' + chat.id, role: 'button',
        onclick: function (event) { event.preventDefault(); ui.open(chat.id); } },
        h('div', { class: 'avatar' }, chat.title.slice(0, 1)),
        h('div', { class: 'info row-body' },
          h('div', { class: 'info-row row-top' },
            h('div', { class: 'title' }, h('h3', { class: 'fullName name', dir: 'auto' }, chat.title)),
            h('div', { class: 'LastMessageMeta' }, h('span', { class: 'time' }, last ? ui.clock(last.time) : ''))),
          h('div', { class: 'subtitle row-bottom' },
            h('p', { class: 'last-message preview', dir: 'ltr' }, last ? last.text : ''),
            chat.unread ? h('div', { class: 'ChatBadge-wrapper' },
              h('div', { class: 'ChatBadge unread' + (chat.muted ? ' muted' : '') + ' badge' }, String(chat.unread))) : null))));
  }

  function message(m) {
    return h('div', { id: 'message' + m.id, class: 'Message message-list-item' + (m.direction === 'out' ? ' own' : ''),
      'data-message-id': m.id },
      h('div', { class: 'message-content-wrapper' }, h('div', { class: 'message-content text bubble' + (m.direction === 'out' ? ' out' : '') },
        h('div', { class: 'content-inner' }, h('div', { class: 'text-content clearfix', dir: 'auto' }, m.text,
          h('span', { class: 'MessageMeta meta', dir: 'ltr' },
            h('span', { class: 'message-time', title: Sandbox.fullTime(m.time) }, ' ' + Sandbox.clock(m.time))))))));
  }

  Sandbox.start({
    name: 'telegram_a',
    initialChat: function () { return location.hash.length > 1 ? location.hash.slice(1) : null; },
    onOpen: function (chatId) { history.replaceState(null, '', '#' + chatId); },
    anchors: {
      chat_list: '.chat-list',
      composer: '#editable-message-text[contenteditable="true"]',
    },
    setup: function (ui) {
      Sandbox.composer(ui, document.getElementById('editable-message-text'), document.getElementById('send'));
    },
    render: function (state, ui) {
      const list = document.getElementById('chat-list');
      list.replaceChildren.apply(list, state.chats.map(function (chat) { return row(chat, ui); }));
      const chat = ui.activeChat();
      const header = document.getElementById('middle-header');
      const messages = document.getElementById('messages');
      document.getElementById('composer-bar').style.display = chat ? '' : 'none';
      if (!chat) { header.replaceChildren(); messages.replaceChildren(h('div', { class: 'empty' }, 'Select a chat to start messaging')); return; }
      header.replaceChildren(h('div', { class: 'ChatInfo' }, h('div', { class: 'info' },
        h('div', { class: 'title' }, h('h3', { class: 'fullName', dir: 'auto' }, chat.title)))));
      messages.replaceChildren(h('div', { class: 'message-date-group stack' }, chat.messages.map(message)));
      messages.parentNode.scrollTop = messages.parentNode.scrollHeight;
    },
  });
})();
