<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountView</name>
    <message>
        <location filename="../src/relaydesk/desktop/account_view.py" line="185"/>
        <source>This page is not responding.</source>
        <translation>此页面没有响应。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/account_view.py" line="185"/>
        <source>Reload the page</source>
        <translation>重新加载页面</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/account_view.py" line="264"/>
        <source>The page crashed and was reloaded.</source>
        <translation>页面崩溃，已自动重新加载。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/account_view.py" line="264"/>
        <source>Reload again</source>
        <translation>再次重新加载</translation>
    </message>
</context>
<context>
    <name>AddAccountDialog</name>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="34"/>
        <source>Add an account</source>
        <translation>添加账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="38"/>
        <source>Web page</source>
        <translation>网页</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="41"/>
        <source>e.g. Sales WhatsApp</source>
        <translation>例如：销售 WhatsApp</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="44"/>
        <source>A team account, open on several workstations</source>
        <translation>团队账号，可在多台工作站上同时打开</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="46"/>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="47"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="48"/>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="67"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="67"/>
        <source>Address (optional)</source>
        <translation>地址（可选）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="71"/>
        <source>Please give the account a name.</source>
        <translation>请为账号起一个名称。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="74"/>
        <source>A web page account needs an address.</source>
        <translation>网页账号需要填写地址。</translation>
    </message>
</context>
<context>
    <name>AppSettings</name>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="42"/>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="43"/>
        <source>Performance</source>
        <translation>性能</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="44"/>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="45"/>
        <source>Translation</source>
        <translation>翻译</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="46"/>
        <source>Intake</source>
        <translation>进线统计</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="47"/>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="48"/>
        <source>Language of the app&apos;s menus and dialogs</source>
        <translation>应用菜单和对话框的语言</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="49"/>
        <source>Light or dark theme</source>
        <translation>浅色或深色主题</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="50"/>
        <source>Freeze an account&apos;s page after this many idle minutes (0: never)</source>
        <translation>账号页面空闲多少分钟后冻结（0：从不）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="53"/>
        <source>Discard hibernated pages entirely to save more memory (reload on return)</source>
        <translation>完全丢弃休眠的页面以节省更多内存（返回时重新加载）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="57"/>
        <source>Draw pages without the graphics card (smoother on computers without one; on restart)</source>
        <translation>不使用显卡绘制页面（在没有显卡的电脑上更流畅；重启后生效）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="61"/>
        <source>Show no desktop notifications</source>
        <translation>不显示桌面通知</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="62"/>
        <source>Your own language (translations go into it)</source>
        <translation>您自己的语言（译文使用此语言）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="63"/>
        <source>Default translation engine</source>
        <translation>默认翻译引擎</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="64"/>
        <source>LibreTranslate server URL, for the self-hosted engine</source>
        <translation>LibreTranslate 服务器地址（自建引擎）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="65"/>
        <source>Send the translated reply at once instead of filling the input</source>
        <translation>直接发送翻译后的回复，而不是填入输入框</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="68"/>
        <source>When the intake counter&apos;s day starts (HH:MM)</source>
        <translation>进线计数每天的起始时间（HH:MM）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="69"/>
        <source>Count a contact once per account, across all your accounts, or team-wide</source>
        <translation>联系人按账号、在您所有账号中或在整个团队中只计一次</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="72"/>
        <source>Warn when today&apos;s intake is on pace to pass this many contacts (0: off)</source>
        <translation>今日进线预计超过此人数时提醒（0：关闭）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="75"/>
        <source>Team server address (empty: work alone)</source>
        <translation>团队服务器地址（留空：单独工作）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="76"/>
        <source>Your login on the team server</source>
        <translation>您在团队服务器上的登录名</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="77"/>
        <source>system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="78"/>
        <source>light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="79"/>
        <source>dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="80"/>
        <source>account</source>
        <translation>每个账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="81"/>
        <source>all_accounts</source>
        <translation>我的所有账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="82"/>
        <source>team</source>
        <translation>整个团队</translation>
    </message>
</context>
<context>
    <name>FindDialog</name>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="160"/>
        <source>Find an account or contact</source>
        <translation>查找账号或联系人</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="165"/>
        <source>Account or contact name</source>
        <translation>账号或联系人名称</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="164"/>
        <location filename="../src/relaydesk/desktop/window.py" line="395"/>
        <source>Relaydesk</source>
        <translation>Relaydesk</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="165"/>
        <source>&amp;Accounts</source>
        <translation>账号(&amp;A)</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="166"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="167"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="168"/>
        <location filename="../src/relaydesk/desktop/window.py" line="182"/>
        <source>Add an account…</source>
        <translation>添加账号…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="169"/>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="170"/>
        <source>Remove…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="171"/>
        <source>Mute notifications of this account</source>
        <translation>此账号的通知静音</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="172"/>
        <source>Let this account sleep when idle</source>
        <translation>空闲时让此账号休眠</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="173"/>
        <source>Reload</source>
        <translation>重新加载</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="174"/>
        <source>Find an account or contact…</source>
        <translation>查找账号或联系人…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="175"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="176"/>
        <source>Do not disturb</source>
        <translation>勿扰模式</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="177"/>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="178"/>
        <source>Side panels</source>
        <translation>侧边面板</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="179"/>
        <source>Welcome tour</source>
        <translation>欢迎导览</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="180"/>
        <location filename="../src/relaydesk/desktop/window.py" line="530"/>
        <source>About Relaydesk</source>
        <translation>关于 Relaydesk</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="181"/>
        <source>No accounts yet. Add your first one to start.</source>
        <translation>还没有账号。添加第一个账号即可开始。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="241"/>
        <source>Rename account</source>
        <translation>重命名账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="241"/>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="257"/>
        <source>Remove account</source>
        <translation>删除账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="259"/>
        <source>Remove “%1” and delete its cookies, storage and cache from this computer? You will have to log in again to add it back.</source>
        <translation>删除“%1”，并从这台电脑上删除它的 Cookie、存储和缓存？之后要重新添加需再次登录。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="375"/>
        <source>Loading</source>
        <translation>正在加载</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="376"/>
        <source>Working</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="377"/>
        <source>The page changed: some counts may be missing</source>
        <translation>页面结构已变化：部分计数可能缺失</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="378"/>
        <source>The page crashed and was reloaded</source>
        <translation>页面崩溃，已重新加载</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="379"/>
        <source>The page is not responding</source>
        <translation>页面没有响应</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="382"/>
        <source>Unread: %1, muted chats: %2</source>
        <translation>未读：%1，静音会话：%2</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="385"/>
        <source>Asleep: the counts are from before it slept</source>
        <translation>休眠中：计数为休眠前的数值</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="394"/>
        <source>Relaydesk: %1 unread</source>
        <translation>Relaydesk：%1 条未读</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="531"/>
        <source>Relaydesk %1: many messaging accounts in one window.</source>
        <translation>Relaydesk %1：在一个窗口中使用多个消息账号。</translation>
    </message>
</context>
<context>
    <name>SandboxAccounts</name>
    <message>
        <location filename="../src/relaydesk/desktop/sandbox_accounts.py" line="30"/>
        <source>%1 (sandbox)</source>
        <translation>%1（沙盒）</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="98"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="93"/>
        <source>Welcome to Relaydesk</source>
        <translation>欢迎使用 Relaydesk</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="97"/>
        <source>1. Add your accounts</source>
        <translation>1. 添加您的账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="99"/>
        <source>Each WhatsApp, Telegram, Messenger, Instagram or LINE login becomes a tab with its own private storage, so accounts never mix.</source>
        <translation>每个 WhatsApp、Telegram、Messenger、Instagram 或 LINE 登录都会成为一个标签页，拥有独立的私有存储，账号之间互不混淆。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="104"/>
        <source>2. Watch the badges</source>
        <translation>2. 留意角标</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="106"/>
        <source>Every tab shows its unread messages (muted chats apart) and whether the page is healthy. The tray icon shows the total; desktop notifications open the chat.</source>
        <translation>每个标签页都会显示未读消息（静音会话单独显示）以及页面是否正常。托盘图标显示总数；点击桌面通知即可打开对应会话。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="112"/>
        <source>3. Work without switching apps</source>
        <translation>3. 无需切换应用</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="114"/>
        <source>Ctrl+1…9 jump between accounts, Ctrl+F finds an account or a contact, F5 reloads. Idle accounts sleep to save memory and wake when you click them.</source>
        <translation>Ctrl+1…9 在账号之间切换，Ctrl+F 查找账号或联系人，F5 重新加载。空闲账号会休眠以节省内存，点击即可唤醒。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="130"/>
        <source>Back</source>
        <translation>上一步</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="131"/>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="152"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="152"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
</context>
</TS>
