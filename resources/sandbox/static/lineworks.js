/* The LINE WORKS sandbox page: ferdium's total-count selector plus a stand-in room list. */
(function () {
  'use strict';
  const h = Sandbox.h;

  function room(chat, ui) {
    const last = ui.lastMessage(chat);
    return h('li', { 'data-room-id': chat.id, class: 'row' + (chat.id === ui.active ? ' on active' : ''),
      onclick: function () { ui.open(chat.id); } },
      h('div', { class: 'avatar' }, chat.name.slice(0, 1)),
      h('dl', { class: 'row-body', style: 'margin:0' },
        h('dt', { class: 'row-top' }, h('strong', { class: 'name' }, chat.name), h('span', { class: 'date time' }, last ? ui.clock(last.time) : '')),
        h('dd', { class: 'row-bottom', style: 'margin:0' }, h('span', { class: 'msg preview' }, last ? last.text : ''),
          chat.unread ? h('span', { class: 'cnt badge' }, String(chat.unread)) : null)));
  }

  function message(chat, m) {
    const own = m.direction === 'out';
    return h('li', { class: (own ? 'mine' : 'other') + ' stack', 'data-msg-no': m.id },
      own ? null : h('span', { class: 'name' }, chat.name),
      h('div', { class: 'msg_box bubble' + (own ? ' out' : '') }, h('p', { class: 'txt' }, m.text),
        h('span', { class: 'time meta' }, new Date(m.time * 1000).toTimeString().slice(0, 5))));
  }

  Sandbox.start({
    name: 'lineworks',
    anchors: {
      chat_count: 'div#chat_list > ul#chat_grp_lst > li#item_chat > dl#chat_count > span#new',
      room_list: 'ul.room_list',
      composer: '.chat_input',
    },
    setup: function (ui) { Sandbox.composer(ui, document.getElementById('composer'), document.getElementById('send')); },
    render: function (state, ui) {
      const total = state.chats.reduce(function (sum, chat) { return sum + chat.unread; }, 0);
      const count = document.querySelector('#chat_count > span');
      count.textContent = total ? String(total) : '';
      const list = document.getElementById('rooms');
      list.replaceChildren.apply(list, state.chats.map(function (chat) { return room(chat, ui); }));
      const chat = ui.activeChat();
      const title = document.getElementById('room-title');
      const messages = document.getElementById('messages');
      document.getElementById('footer').style.display = chat ? '' : 'none';
      if (!chat) { title.replaceChildren(); messages.replaceChildren(h('li', { class: 'empty' }, 'Select a chat room')); return; }
      title.replaceChildren(h('strong', { class: 'tit' }, chat.name));
      messages.replaceChildren.apply(messages, chat.messages.map(function (m) { return message(chat, m); }));
      messages.scrollTop = messages.scrollHeight;
    },
  });
})();
