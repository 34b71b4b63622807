/* The Telegram Web K sandbox page: the DOM of morethanwords/tweb as the telegram_k recipe reads it. */
(function () {
  'use strict';
  const h = Sandbox.h;

  function peerId(chat) { return chat.id; }  // numeric; negative for groups, as in Telegram

  function row(chat, ui) {
    const last = ui.lastMessage(chat);
    const classes = 'row no-wrap row-with-padding rp chatlist-chat' + (chat.muted ? ' is-muted' : '') +
      (chat.id === ui.active ? ' active' : '');
    return h('li', null, h('a', { class: classes, 'data-peer-id': peerId(chat), href: '#' + peerId(chat),
      onclick: function (event) { event.preventDefault(); ui.open(chat.id); } },
      h('div', { class: 'avatar' }, chat.title.slice(0, 1)),
      h('div', { class: 'row-body' },
        h('div', { class: 'row-title-row row-top' },
          h('div', { class: 'row-title' }, h('span', { class: 'peer-title name', 'data-peer-id': peerId(chat) }, chat.title)),
          h('div', { class: 'row-title row-title-right' },
            h('span', { class: 'message-time time' }, h('span', null, last ? ui.clock(last.time) : '')))),
        h('div', { class: 'row-subtitle-row row-bottom' },
          h('div', { class: 'row-subtitle dialog-subtitle preview', dir: 'auto' }, h('span', null, last ? last.text : '')),
          chat.unread ? h('div', { class: 'dialog-subtitle-badge badge badge-22 is-visible unread' }, String(chat.unread)) : null))));
  }

  function bubble(chat, m) {
    const when = Sandbox.fullTime(m.time);
    return h('div', { class: 'bubble ' + (m.direction === 'out' ? 'is-out out' : 'is-in'), 'data-mid': m.id,
      'data-peer-id': peerId(chat), 'data-timestamp': String(Math.floor(m.time)) },
      h('div', { class: 'bubble-content-wrapper' }, h('div', { class: 'bubble-content' },
        h('div', { class: 'message spoilers-container', dir: 'auto' }, m.text,
          h('span', { class: 'time meta' }, h('span', { class: 'time-inner', title: when }, Sandbox.h('span', null, ' ' + new Date(m.time * 1000).toTimeString().slice(0, 5))))))));
  }

  Sandbox.start({
    name: 'telegram_k',
    anchors: {
      client: 'meta[property="og:url"]',  // gone: as if Telegram moved the account to the A client
      chat_list: '.chatlist',
      composer: '.chat.active .input-message-input[contenteditable="true"]',
    },
    setup: function (ui) {
      Sandbox.composer(ui, document.getElementById('composer'), document.getElementById('send'));
    },
    render: function (state, ui) {
      const list = document.getElementById('chatlist');
      list.replaceChildren.apply(list, state.chats.map(function (chat) { return row(chat, ui); }));
      const chat = ui.activeChat();
      const pane = document.getElementById('chat');
      pane.classList.toggle('active', !!chat);
      const topbar = document.getElementById('topbar');
      const bubbles = document.getElementById('bubbles');
      document.getElementById('chat-input').style.display = chat ? '' : 'none';
      if (!chat) { topbar.replaceChildren(); bubbles.replaceChildren(h('div', { class: 'empty' }, 'Select a chat to start messaging')); return; }
      topbar.replaceChildren(h('div', { class: 'chat-info' }, h('div', { class: 'person' },
        h('div', { class: 'content' }, h('div', { class: 'top' }, h('div', { class: 'user-title' },
          h('span', { class: 'peer-title', 'data-peer-id': peerId(chat) }, chat.title)))))));
      bubbles.replaceChildren(h('section', { class: 'bubbles-date-group' },
        chat.messages.map(function (m) { return bubble(chat, m); })));
      bubbles.parentNode.scrollTop = bubbles.parentNode.scrollHeight;
    },
  });
})();
