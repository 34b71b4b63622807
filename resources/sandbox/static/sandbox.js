/*
 * Shared machinery of the sandbox pages: follow the page's state on the sandbox server by
 * long-polling (the server holds the request until something changes, as the real services push
 * new messages over the network; Chromium throttles a hidden tab's timers, not its network), redraw
 * it through the page's own renderer (which builds the real service's DOM structure), and send what
 * the person does (open a chat, reply) back to the server. Every name and text is put on the page
 * as a text node, never as markup.
 */
(function () {
  'use strict';

  /** Build an element: attrs are attributes (or on* handlers), children are nodes or text. */
  function h(tag, attrs) {
    const svg = tag === 'svg' || tag === 'path';
    const node = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      const value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name.indexOf('on') === 0 && typeof value === 'function') node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    });
    for (let i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }

  function clock(seconds) {
    const d = new Date(seconds * 1000);
    return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
  }

  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function two(n) { return String(n).padStart(2, '0'); }

  /** "01.12.2026, 08:05:09": one fixed format (the real pages follow the browser's locale). */
  function fullTime(seconds) {
    const d = new Date(seconds * 1000);
    return two(d.getDate()) + '.' + two(d.getMonth() + 1) + '.' + d.getFullYear() + ', ' +
      two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
  }

  /** "Dec 1, 2026, 8:05 AM", as Messenger's English UI writes a message's time. */
  function sentTime(seconds) {
    const d = new Date(seconds * 1000);
    const hour = d.getHours() % 12 || 12;
    return MONTHS[d.getMonth()] + ' ' + d.getDate() + ', ' + d.getFullYear() + ', ' + hour + ':' +
      two(d.getMinutes()) + ' ' + (d.getHours() < 12 ? 'AM' : 'PM');
  }

  /** "1 Dec 2026, 08:05", as Instagram's date separators read. */
  function dayTime(seconds) {
    const d = new Date(seconds * 1000);
    return d.getDate() + ' ' + MONTHS[d.getMonth()] + ' ' + d.getFullYear() + ', ' + clock(seconds);
  }

  function lastMessage(chat) {
    return chat.messages.length ? chat.messages[chat.messages.length - 1] : null;
  }

  // ---- breaking anchors (to test the recipes' health) ------------------------------------------
  // An anchor is broken by taking away the attributes (id, class, [attr]) of the last compound of
  // its selector from every element it matches, so the page looks as if the platform renamed them.
  const broken = [];  // {node, attrs}: attributes taken away, put back on restore

  function lastCompound(selector) {
    let depth = 0;
    let start = 0;
    for (let i = 0; i < selector.length; i++) {
      const c = selector[i];
      if (c === '[') depth++;
      else if (c === ']') depth--;
      else if (depth === 0 && (c === ' ' || c === '>' || c === '+' || c === '~')) start = i + 1;
    }
    return selector.slice(start);
  }

  function attributesIn(selector) {
    const compound = lastCompound(selector);
    const names = new Set();
    compound.replace(/\[([\w-]+)/g, function (_, name) { names.add(name); });
    const bare = compound.replace(/\[[^\]]*\]/g, '');
    if (/#[\w-]/.test(bare)) names.add('id');
    if (/\.[\w-]/.test(bare)) names.add('class');
    return names;
  }

  function restoreStructure() {
    broken.splice(0).forEach(function (entry) {
      Object.keys(entry.attrs).forEach(function (name) { entry.node.setAttribute(name, entry.attrs[name]); });
    });
  }

  function breakStructure(anchors, removed) {
    removed.forEach(function (anchor) {
      const selector = anchors[anchor];
      if (!selector) return;
      document.querySelectorAll(selector).forEach(function (node) {
        const attrs = {};
        attributesIn(selector).forEach(function (name) {
          if (node.hasAttribute(name)) { attrs[name] = node.getAttribute(name); node.removeAttribute(name); }
        });
        broken.push({ node: node, attrs: attrs });
      });
    });
  }

  // ---- the page loop ---------------------------------------------------------------------------
  const WAIT_S = 15;  // how long the server may hold a state request (it caps this at 20 s)
  const RETRY_MS = 1000;
  function start(page) {
    const ui = {
      page: page.name,
      active: page.initialChat ? page.initialChat() : null,
      state: null,
      h: h,
      clock: clock,
      lastMessage: lastMessage,
      open: function (chatId) {
        ui.active = chatId;
        if (page.onOpen) page.onOpen(chatId);
        post('open', { chat_id: chatId });
        redraw();
      },
      send: function (text) {
        if (!ui.active || !text.trim()) return false;
        post('send', { chat_id: ui.active, text: text.trim() });
        return true;
      },
      activeChat: function () {
        if (!ui.state) return null;
        return ui.state.chats.find(function (c) { return c.id === ui.active; }) || null;
      },
    };
    let version = null;
    let following = false;  // one long-poll in flight per page (Chromium: 6 connections a host)

    function post(what, body) {
      return fetch('/api/' + page.name + '/' + what, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      }).then(refresh);
    }

    function redraw() {
      if (!ui.state) return;
      if (ui.active && ui.activeChat() && ui.activeChat().unread) post('open', { chat_id: ui.active });
      restoreStructure();
      page.render(ui.state, ui);
      breakStructure(page.anchors || {}, ui.state.removed);
    }

    function fetchState(query) {
      return fetch('/api/' + page.name + '/state' + query).then(function (r) {
        if (!r.ok) throw new Error('state: HTTP ' + r.status);
        return r.json();
      });
    }

    function take(state) {
      if (state.version !== version) { version = state.version; ui.state = state; redraw(); }
    }

    /** The state now, beside the held long-poll: after an action the page shows its effect at once. */
    function refresh() {
      return fetchState('').then(take).catch(function () { /* follow() catches up */ });
    }

    /** Ask for the next change and, when it is answered, at once for the one after (no timer). */
    function follow() {
      if (following) return;
      following = true;
      const asked = version;
      const since = Date.now();
      const query = asked === null ? '' : '?after=' + asked + '&wait=' + WAIT_S;
      fetchState(query).then(take).then(function () {
        following = false;
        // Unchanged well before the wait ran out: the server is stopping. Pause, don't spin.
        if (asked !== null && version === asked && Date.now() - since < WAIT_S * 500) {
          setTimeout(follow, RETRY_MS);
        } else {
          follow();
        }
      }, function () {
        following = false;
        setTimeout(follow, RETRY_MS);  // the server is restarting: try again in a moment
      });
    }

    if (page.setup) page.setup(ui);
    follow();
    return ui;
  }

  /** Wire a composer (contenteditable or textarea) and its send button to ui.send. */
  function composer(ui, box, button) {
    function value() { return 'value' in box && box.tagName !== 'DIV' ? box.value : box.textContent; }
    function clear() { if ('value' in box && box.tagName !== 'DIV') box.value = ''; else box.textContent = ''; }
    function submit() { if (ui.send(value())) clear(); }
    box.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); submit(); }
    });
    if (button) button.addEventListener('click', submit);
  }

  window.Sandbox = {
    start: start, h: h, composer: composer, clock: clock, fullTime: fullTime, sentTime: sentTime, dayTime: dayTime,
  };
})();
