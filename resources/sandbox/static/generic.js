/* A plain web chat for the generic recipe: it only shows the unread total in the page title. */
(function () {
  'use strict';
  const h = Sandbox.h;

  Sandbox.start({
    name: 'generic',
    anchors: {},
    setup: function (ui) {
      const input = document.getElementById('composer');
      document.getElementById('footer').addEventListener('submit', function (event) {
        event.preventDefault();
        if (ui.send(input.value)) input.value = '';
      });
    },
    render: function (state, ui) {
      const total = state.chats.reduce(function (sum, chat) { return sum + (chat.muted ? 0 : chat.unread); }, 0);
      document.title = (total ? '(' + total + ') ' : '') + 'Support inbox';
      const list = document.getElementById('threads');
      list.replaceChildren.apply(list, state.chats.map(function (chat) {
        return h('li', { class: 'row' + (chat.id === ui.active ? ' active' : ''), onclick: function () { ui.open(chat.id); } },
          h('div', { class: 'avatar' }, chat.name.slice(0, 1)),
          h('div', { class: 'row-body' }, h('div', { class: 'row-top' }, h('span', { class: 'name' }, chat.name),
            chat.unread ? h('span', { class: 'badge' }, String(chat.unread)) : null)));
      }));
      const chat = ui.activeChat();
      const messages = document.getElementById('messages');
      document.getElementById('footer').style.display = chat ? '' : 'none';
      document.getElementById('thread-title').textContent = chat ? chat.name : '';
      messages.replaceChildren.apply(messages, chat ? chat.messages.map(function (m) {
        return h('div', { class: 'bubble' + (m.direction === 'out' ? ' out' : '') }, m.text);
      }) : [h('div', { class: 'empty' }, 'Select a conversation')]);
    },
  });
})();
