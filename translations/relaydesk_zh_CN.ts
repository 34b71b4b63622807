<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountError</name>
    <message>
        <location filename="../src/relaydesk/desktop/accounts.py" line="50"/>
        <source>There is no account with the id %1.</source>
        <translation>没有 ID 为 %1 的账号。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/accounts.py" line="51"/>
        <source>An account needs a name.</source>
        <translation>账号需要一个名称。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/accounts.py" line="52"/>
        <source>An account needs a platform.</source>
        <translation>账号需要选择平台。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/accounts.py" line="53"/>
        <source>An account&apos;s id never changes (its profile folder is named by it).</source>
        <translation>账号 ID 不能更改（其配置文件夹以它命名）。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/accounts.py" line="56"/>
        <source>A new order must list every account exactly once.</source>
        <translation>新的顺序必须包含每个账号，且每个只出现一次。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/accounts.py" line="59"/>
        <source>%1 is not a language code such as en-US or de-DE.</source>
        <translation>%1 不是有效的语言代码（例如 en-US 或 de-DE）。</translation>
    </message>
</context>
<context>
    <name>AccountView</name>
    <message>
        <location filename="../src/relaydesk/desktop/account_view.py" line="187"/>
        <source>This page is not responding.</source>
        <translation>此页面没有响应。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/account_view.py" line="187"/>
        <source>Reload the page</source>
        <translation>重新加载页面</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/account_view.py" line="266"/>
        <source>The page crashed and was reloaded.</source>
        <translation>页面崩溃，已自动重新加载。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/account_view.py" line="266"/>
        <source>Reload again</source>
        <translation>再次重新加载</translation>
    </message>
</context>
<context>
    <name>AddAccountDialog</name>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="40"/>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="64"/>
        <source>Add an account</source>
        <translation>添加账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="68"/>
        <source>Web page</source>
        <translation>网页</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="71"/>
        <source>e.g. Sales WhatsApp</source>
        <translation>例如：销售 WhatsApp</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="74"/>
        <source>A team account, open on several workstations</source>
        <translation>团队账号，可在多台工作站上同时打开</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="77"/>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="78"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="79"/>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="99"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="81"/>
        <source>Spellcheck</source>
        <translation>拼写检查</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="99"/>
        <source>Address (optional)</source>
        <translation>地址（可选）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="103"/>
        <source>Please give the account a name.</source>
        <translation>请为账号起一个名称。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="106"/>
        <source>A web page account needs an address.</source>
        <translation>网页账号需要填写地址。</translation>
    </message>
</context>
<context>
    <name>AppSettings</name>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="57"/>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="58"/>
        <source>Performance</source>
        <translation>性能</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="59"/>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="60"/>
        <source>Translation</source>
        <translation>翻译</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="61"/>
        <source>Intake</source>
        <translation>进线统计</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="62"/>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="63"/>
        <source>Language of the app&apos;s menus and dialogs</source>
        <translation>应用菜单和对话框的语言</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="64"/>
        <source>Light or dark theme</source>
        <translation>浅色或深色主题</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="65"/>
        <source>Freeze an account&apos;s page after this many idle minutes (0: never)</source>
        <translation>账号页面空闲多少分钟后冻结（0：从不）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="68"/>
        <source>Discard hibernated pages entirely to save more memory (reload on return)</source>
        <translation>完全丢弃休眠的页面以节省更多内存（返回时重新加载）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="72"/>
        <source>Always draw pages without the graphics card (automatic when there is none; on restart)</source>
        <translation>始终不使用显卡绘制页面（没有显卡时会自动如此；重启后生效）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="102"/>
        <source>Holding replies</source>
        <translation>等待回复</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="103"/>
        <source>On accounts with auto-send on, send the holding reply when the expected wait is at least this many minutes</source>
        <translation>对开启自动发送的账号，当预计等待至少达到这么多分钟时发送等待回复</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="124"/>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="125"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="126"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="127"/>
        <source>Per account</source>
        <translation>每个账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="128"/>
        <source>Across all my accounts</source>
        <translation>我的所有账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="129"/>
        <source>Team-wide</source>
        <translation>整个团队</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="76"/>
        <source>Show no desktop notifications</source>
        <translation>不显示桌面通知</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="77"/>
        <source>Your own language (translations go into it)</source>
        <translation>您自己的语言（译文使用此语言）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="78"/>
        <source>Default translation engine</source>
        <translation>默认翻译引擎</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="79"/>
        <source>LibreTranslate server URL, for the self-hosted engine</source>
        <translation>LibreTranslate 服务器地址（自建引擎）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="80"/>
        <source>Send the translated reply at once instead of filling the input</source>
        <translation>直接发送翻译后的回复，而不是填入输入框</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="95"/>
        <source>When the intake counter&apos;s day starts (HH:MM)</source>
        <translation>进线计数每天的起始时间（HH:MM）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="96"/>
        <source>Count a contact once per account, across all your accounts, or team-wide</source>
        <translation>联系人按账号、在您所有账号中或在整个团队中只计一次</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="99"/>
        <source>Warn when today&apos;s intake is on pace to pass this many contacts (0: off)</source>
        <translation>今日进线预计超过此人数时提醒（0：关闭）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="108"/>
        <source>Team server address (empty: work alone)</source>
        <translation>团队服务器地址（留空：单独工作）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="109"/>
        <source>Your login on the team server</source>
        <translation>您在团队服务器上的登录名</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="130"/>
        <source>Large language model (LLM)</source>
        <translation>大语言模型（LLM）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="83"/>
        <source>Guard against putting text in your own language in a chat whose contact reads another</source>
        <translation>防止把您自己语言的文字放进联系人使用另一种语言的聊天</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="87"/>
        <source>What the guard does with such text (Ctrl+Enter)</source>
        <translation>防护如何处理这类文字（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="88"/>
        <source>Check translations by translating them back (the panel&apos;s check box starts this way)</source>
        <translation>通过回译检查译文（翻译面板的复选框默认如此）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="92"/>
        <source>Languages that detection chooses from, as ISO 639-1 codes (on restart)</source>
        <translation>语言检测可选的语言，使用 ISO 639-1 代码（重启后生效）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="131"/>
        <source>Warn and ask again</source>
        <translation>警告并再次确认</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="132"/>
        <source>Block it</source>
        <translation>阻止</translation>
    </message>
</context>
<context>
    <name>ChatServices</name>
    <message>
        <location filename="../src/relaydesk/desktop/chat_services.py" line="161"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/chat_services.py" line="164"/>
        <source>Intake</source>
        <translation>进线统计</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/chat_services.py" line="260"/>
        <source>Relaydesk</source>
        <translation>Relaydesk</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/chat_services.py" line="276"/>
        <source>The daily backup of the customer store failed: %1</source>
        <translation>客户数据的每日备份失败：%1</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/chat_services.py" line="525"/>
        <source>Translation</source>
        <translation>翻译</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/chat_services.py" line="637"/>
        <source>Translation engine</source>
        <translation>翻译引擎</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/chat_services.py" line="641"/>
        <source>Default (from Settings)</source>
        <translation>默认（按设置）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/chat_services.py" line="697"/>
        <source>The export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/chat_services.py" line="216"/>
        <source>Language detection uses its default languages: %1</source>
        <translation>语言检测改用默认语言：%1</translation>
    </message>
</context>
<context>
    <name>ContactCardPanel</name>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="70"/>
        <source>No customer selected</source>
        <translation>未选择客户</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="78"/>
        <source>Handle</source>
        <translation>标识</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="79"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="80"/>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="81"/>
        <source>Value</source>
        <translation>价值</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="82"/>
        <source>First seen</source>
        <translation>首次出现</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="83"/>
        <source>Last seen</source>
        <translation>最近出现</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="84"/>
        <source>Previous agent</source>
        <translation>上一位客服</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="85"/>
        <source>Accounts</source>
        <translation>账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="93"/>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="95"/>
        <source>Close conversation</source>
        <translation>结束会话</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="101"/>
        <source>Translation engine for this customer</source>
        <translation>此客户使用的翻译引擎</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="102"/>
        <source>Account&apos;s translation engine</source>
        <translation>账号的翻译引擎</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="105"/>
        <source>Translation</source>
        <translation>翻译</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="108"/>
        <source>Add a tag</source>
        <translation>添加标签</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="111"/>
        <source>Add a note and press Enter</source>
        <translation>输入备注后按回车</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="121"/>
        <source>Notes (double-click to edit)</source>
        <translation>备注（双击编辑）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="124"/>
        <source>Recent history, all accounts</source>
        <translation>最近记录（所有账号）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="145"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="149"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/context_panel.py" line="156"/>
        <source>none known</source>
        <translation>暂无</translation>
    </message>
</context>
<context>
    <name>ExportPeriodDialog</name>
    <message>
        <location filename="../src/relaydesk/desktop/intake_panel.py" line="332"/>
        <source>Export intake to CSV</source>
        <translation>将进线统计导出为 CSV</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/intake_panel.py" line="348"/>
        <source>First day</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/intake_panel.py" line="349"/>
        <source>Last day</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/intake_panel.py" line="350"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/intake_panel.py" line="365"/>
        <source>The last day is before the first day.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/intake_panel.py" line="367"/>
        <source>Choose a file in an existing folder.</source>
        <translation>请选择一个位于现有文件夹中的文件。</translation>
    </message>
</context>
<context>
    <name>FindDialog</name>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="201"/>
        <source>Find an account or contact</source>
        <translation>查找账号或联系人</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="206"/>
        <source>Account or contact name</source>
        <translation>账号或联系人名称</translation>
    </message>
</context>
<context>
    <name>HoldingReplies</name>
    <message>
        <location filename="../src/relaydesk/desktop/holding.py" line="234"/>
        <source>Auto-send holding replies on this account</source>
        <translation>在此账号自动发送等待回复</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/holding.py" line="405"/>
        <source>The team server gave no wait (%1); this is your own queue&apos;s.</source>
        <translation>团队服务器未给出等待时间（%1）；这是你自己队列的估计。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/holding.py" line="444"/>
        <source>The customer&apos;s language is not known: English.</source>
        <translation>不知道客户的语言：使用英语。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/holding.py" line="460"/>
        <source>No translation engine: the reply is in English.</source>
        <translation>没有翻译引擎：回复为英语。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/holding.py" line="465"/>
        <source>The translation failed (%1): the reply is in English.</source>
        <translation>翻译失败（%1）：回复为英语。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/holding.py" line="474"/>
        <source>Holding reply: %1</source>
        <translation>等待回复：%1</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/holding.py" line="476"/>
        <source>A click puts this reply in the chat&apos;s compose box (not sent):</source>
        <translation>点击后这条回复会放进聊天的输入框（不会发送）：</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/holding.py" line="485"/>
        <source>its agent is away</source>
        <translation>其客服不在</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/holding.py" line="486"/>
        <source>nobody online</source>
        <translation>无人在线</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/holding.py" line="488"/>
        <source>over a day</source>
        <translation>超过一天</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/holding.py" line="491"/>
        <source>≈%1 min</source>
        <translation>≈%1 分钟</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/holding.py" line="492"/>
        <source>%1–%2 min</source>
        <translation>%1–%2 分钟</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/holding.py" line="494"/>
        <source>≈%1 h</source>
        <translation>≈%1 小时</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/holding.py" line="495"/>
        <source>%1–%2 h</source>
        <translation>%1–%2 小时</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/holding.py" line="501"/>
        <source>Number %1 in the team&apos;s queue, from how fast your team frees a place.</source>
        <translation>团队队列中第 %1 位，依据团队空出名额的速度估计。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/holding.py" line="503"/>
        <source>Number %1 of your unanswered chats, at your recent reply pace.</source>
        <translation>你未回复的聊天中第 %1 个，依据你最近的回复速度估计。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/holding.py" line="505"/>
        <source>Number %1 of the chats waiting on its agent, at their reply pace.</source>
        <translation>等待其客服的聊天中第 %1 个，依据其回复速度估计。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/holding.py" line="507"/>
        <source>Nobody online can answer it now.</source>
        <translation>现在没有在线的人能回复。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/holding.py" line="510"/>
        <source>(Too few recent replies to measure: a default pace.)</source>
        <translation>（近期回复太少，无法测量：使用默认速度。）</translation>
    </message>
</context>
<context>
    <name>IncomingTranslator</name>
    <message>
        <location filename="../src/relaydesk/desktop/page_notes.py" line="20"/>
        <source>Offline: not translated yet, will retry when back online</source>
        <translation>离线：尚未翻译，恢复联网后将自动重试</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/page_notes.py" line="23"/>
        <source>↻ Translation failed; retry from the translation panel</source>
        <translation>↻ 翻译失败；请在翻译面板中重试</translation>
    </message>
</context>
<context>
    <name>IntakeDashboardPanel</name>
    <message>
        <location filename="../src/relaydesk/desktop/intake_panel.py" line="143"/>
        <location filename="../src/relaydesk/desktop/intake_panel.py" line="192"/>
        <source>New</source>
        <translation>新客户</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/intake_panel.py" line="144"/>
        <location filename="../src/relaydesk/desktop/intake_panel.py" line="192"/>
        <source>Returning</source>
        <translation>回头客</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/intake_panel.py" line="149"/>
        <source>Usual for this weekday</source>
        <translation>本工作日的常规水平</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/intake_panel.py" line="151"/>
        <source>Usual new</source>
        <translation>平常新增</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/intake_panel.py" line="192"/>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/intake_panel.py" line="196"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/intake_panel.py" line="245"/>
        <source>Today: {new} new, {returning} returning</source>
        <translation>今日：新客户 {new} 位，回头客 {returning} 位</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/intake_panel.py" line="313"/>
        <source>You have reached {threshold} contacts today.</source>
        <translation>今天的联系人已达到 {threshold} 位。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/intake_panel.py" line="317"/>
        <source>At this pace you reach {threshold} contacts by {time}.</source>
        <translation>按当前速度，您将在 {time} 前达到 {threshold} 位联系人。</translation>
    </message>
</context>
<context>
    <name>IntakeTodayLabel</name>
    <message>
        <location filename="../src/relaydesk/desktop/intake_panel.py" line="99"/>
        <source>{new} new · {returning} back</source>
        <translation>新 {new} · 回头 {returning}</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/intake_panel.py" line="100"/>
        <source>Contacts today: {new} new, {returning} returning</source>
        <translation>今日联系人：新客户 {new} 位，回头客 {returning} 位</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="198"/>
        <location filename="../src/relaydesk/desktop/window.py" line="503"/>
        <source>Relaydesk</source>
        <translation>Relaydesk</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="199"/>
        <source>&amp;Accounts</source>
        <translation>账号(&amp;A)</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="200"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="201"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="202"/>
        <location filename="../src/relaydesk/desktop/window.py" line="217"/>
        <source>Add an account…</source>
        <translation>添加账号…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="203"/>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="204"/>
        <source>Remove…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="205"/>
        <source>Mute notifications of this account</source>
        <translation>此账号的通知静音</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="206"/>
        <source>Let this account sleep when idle</source>
        <translation>空闲时让此账号休眠</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="207"/>
        <source>Spellcheck language…</source>
        <translation>拼写检查语言…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="208"/>
        <source>Reload</source>
        <translation>重新加载</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="209"/>
        <source>Find an account or contact…</source>
        <translation>查找账号或联系人…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="210"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="211"/>
        <source>Do not disturb</source>
        <translation>勿扰模式</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="212"/>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="213"/>
        <source>Side panels</source>
        <translation>侧边面板</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="214"/>
        <source>Welcome tour</source>
        <translation>欢迎导览</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="215"/>
        <location filename="../src/relaydesk/desktop/window.py" line="670"/>
        <source>About Relaydesk</source>
        <translation>关于 Relaydesk</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="216"/>
        <source>No accounts yet. Add your first one to start.</source>
        <translation>还没有账号。添加第一个账号即可开始。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="296"/>
        <source>Rename account</source>
        <translation>重命名账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="296"/>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="312"/>
        <source>Remove account</source>
        <translation>删除账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="314"/>
        <source>Remove “%1” and delete its cookies, storage and cache from this computer? You will have to log in again to add it back.</source>
        <translation>删除“%1”，并从这台电脑上删除它的 Cookie、存储和缓存？之后要重新添加需再次登录。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="359"/>
        <location filename="../src/relaydesk/desktop/window.py" line="374"/>
        <source>Spellcheck language</source>
        <translation>拼写检查语言</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="367"/>
        <source>Check spelling in:</source>
        <translation>检查以下语言的拼写：</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="477"/>
        <source>Loading</source>
        <translation>正在加载</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="478"/>
        <source>Working</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="479"/>
        <source>The page changed: some counts may be missing</source>
        <translation>页面结构已变化：部分计数可能缺失</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="480"/>
        <source>The page crashed and was reloaded</source>
        <translation>页面崩溃，已重新加载</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="481"/>
        <source>The page is not responding</source>
        <translation>页面没有响应</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="486"/>
        <source>Not found on the page: %1</source>
        <translation>页面上未找到：%1</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="487"/>
        <source>The unread count (marked ~) may be wrong</source>
        <translation>未读计数（标有 ~）可能不准确</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="488"/>
        <source>Unread: %1, muted chats: %2</source>
        <translation>未读：%1，静音会话：%2</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="491"/>
        <source>Asleep: the counts are from before it slept</source>
        <translation>休眠中：计数为休眠前的数值</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="499"/>
        <source>Relaydesk: %1 unread</source>
        <translation>Relaydesk：%1 条未读</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="529"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/window.py" line="671"/>
        <source>Relaydesk %1: many messaging accounts in one window.</source>
        <translation>Relaydesk %1：在一个窗口中使用多个消息账号。</translation>
    </message>
</context>
<context>
    <name>MyDayView</name>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="155"/>
        <source>My day</source>
        <translation>我的今天</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="174"/>
        <source>Conversations given</source>
        <translation>分配的会话</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="174"/>
        <source>Replies</source>
        <translation>回复</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="175"/>
        <source>Average first reply</source>
        <translation>平均首次回复</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="176"/>
        <source>Active now</source>
        <translation>当前活跃</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="208"/>
        <source>A much busier day than your team&apos;s: new conversations go to colleagues with lighter days first.</source>
        <translation>你今天比团队忙得多：新会话会先分给今天较轻松的同事。</translation>
    </message>
</context>
<context>
    <name>QuickReplies</name>
    <message>
        <location filename="../src/relaydesk/desktop/quick_replies.py" line="61"/>
        <source>Your quick replies could not be read (%1). The file was kept as %2.</source>
        <translation>无法读取您的快捷回复（%1）。该文件已另存为 %2。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/quick_replies.py" line="88"/>
        <source>A quick reply could not be saved: %1</source>
        <translation>快捷回复未能保存：%1</translation>
    </message>
</context>
<context>
    <name>QuickRepliesDialog</name>
    <message>
        <location filename="../src/relaydesk/desktop/quick_replies.py" line="110"/>
        <source>Quick replies</source>
        <translation>快捷回复</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/quick_replies.py" line="116"/>
        <source>Written in your language; each is translated for the contact when you insert it. Double-click or F2 edits a reply, Delete removes it.</source>
        <translation>用您自己的语言撰写；插入时会翻译成联系人的语言。双击或按 F2 编辑回复，按 Delete 删除。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/quick_replies.py" line="130"/>
        <source>No quick replies yet: write one in the translation panel and save it.</source>
        <translation>还没有快捷回复：在翻译面板中写一条并保存。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/quick_replies.py" line="133"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>ReportPage</name>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="153"/>
        <source>Nothing to report for these days.</source>
        <translation>这几天没有可报告的数据。</translation>
    </message>
</context>
<context>
    <name>ReportsView</name>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="258"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="258"/>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="259"/>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="259"/>
        <source>Chosen days</source>
        <translation>所选日期</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="271"/>
        <source>by day</source>
        <translation>按天</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="271"/>
        <source>by hour</source>
        <translation>按小时</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="272"/>
        <source>by agent</source>
        <translation>按客服</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="272"/>
        <source>by account</source>
        <translation>按账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="273"/>
        <source>by link</source>
        <translation>按链接</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="273"/>
        <source>by source</source>
        <translation>按来源</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="277"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="279"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="281"/>
        <source>Export XLSX…</source>
        <translation>导出 XLSX…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="289"/>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="317"/>
        <source>Intake</source>
        <translation>进线</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="289"/>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="317"/>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="290"/>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="317"/>
        <source>Links</source>
        <translation>链接</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="314"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="314"/>
        <source>Hour</source>
        <translation>小时</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="314"/>
        <source>Agent</source>
        <translation>客服</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="315"/>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="315"/>
        <source>Link</source>
        <translation>链接</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="315"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="316"/>
        <source>New</source>
        <translation>新</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="316"/>
        <source>Returning</source>
        <translation>回头客</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="316"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="318"/>
        <source>Conversations</source>
        <translation>会话</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="319"/>
        <source>First reply, median (s)</source>
        <translation>首次回复中位数（秒）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="320"/>
        <source>First reply, mean (s)</source>
        <translation>首次回复平均（秒）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="321"/>
        <source>Wait, median (s)</source>
        <translation>等待中位数（秒）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="322"/>
        <source>Handoffs in</source>
        <translation>转入</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="322"/>
        <source>Handoffs out</source>
        <translation>转出</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="323"/>
        <source>Collisions</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="323"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="324"/>
        <source>Clicks</source>
        <translation>点击</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="324"/>
        <source>Unique visitors</source>
        <translation>独立访客</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="325"/>
        <source>Nobody available</source>
        <translation>无人可接</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="325"/>
        <source>Intakes</source>
        <translation>进线数</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="326"/>
        <source>First reply given</source>
        <translation>已首次回复</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="326"/>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="327"/>
        <source>Intakes per visitor</source>
        <translation>每位访客进线数</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="328"/>
        <source>Reply rate</source>
        <translation>回复率</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="328"/>
        <source>Close rate</source>
        <translation>关闭率</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="329"/>
        <source>Links side by side</source>
        <translation>链接对比</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="330"/>
        <source>Period: %1</source>
        <translation>时段：%1</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="429"/>
        <source>(nobody yet)</source>
        <translation>（未分配）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="429"/>
        <source>(no account)</source>
        <translation>（无账号）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="430"/>
        <source>(no link)</source>
        <translation>（无链接）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="449"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="451"/>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="452"/>
        <source>Export the reports</source>
        <translation>导出报表</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="475"/>
        <source>Nothing to export yet: the reports have not been read.</source>
        <translation>暂无可导出的内容：报表尚未读取。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="480"/>
        <source>Exported %1 reports to %2.</source>
        <translation>已将 %1 份报表导出到 %2。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="483"/>
        <source>Exported %1 rows to %2.</source>
        <translation>已将 %1 行导出到 %2。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="484"/>
        <source>Exported 1 row to %2.</source>
        <translation>已导出 1 行到 %2。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/reports_view.py" line="487"/>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
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
    <name>SecretStore</name>
    <message>
        <location filename="../src/relaydesk/desktop/secrets.py" line="42"/>
        <source>No system keyring is available, so Relaydesk cannot store secrets. On Linux install and unlock a Secret Service provider (GNOME Keyring or KWallet); on Windows and macOS the system keyring is built in. Features that need a password or key stay off until then.</source>
        <translation>没有可用的系统密钥环，Relaydesk 无法保存密码和密钥。在 Linux 上请安装并解锁一个 Secret Service 服务（GNOME Keyring 或 KWallet）；Windows 和 macOS 已内置系统密钥环。在此之前，需要密码或密钥的功能将保持关闭。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/secrets.py" line="49"/>
        <source>The system keyring refused to read %1: %2</source>
        <translation>系统密钥环拒绝读取 %1：%2</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/secrets.py" line="50"/>
        <source>The system keyring refused to store %1: %2</source>
        <translation>系统密钥环拒绝保存 %1：%2</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/secrets.py" line="51"/>
        <source>The system keyring refused to delete %1: %2</source>
        <translation>系统密钥环拒绝删除 %1：%2</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/secrets.py" line="71"/>
        <source>Team server token</source>
        <translation>团队服务器令牌</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/secrets.py" line="72"/>
        <source>The access token your team server gave you</source>
        <translation>团队服务器发给您的访问令牌</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/secrets.py" line="76"/>
        <source>Team server password</source>
        <translation>团队服务器密码</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/secrets.py" line="77"/>
        <source>Your password on the team server, to sign in again</source>
        <translation>您在团队服务器上的密码，用于重新登录</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/secrets.py" line="81"/>
        <source>DeepL API key</source>
        <translation>DeepL API 密钥</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/secrets.py" line="82"/>
        <source>For the DeepL translation engine</source>
        <translation>用于 DeepL 翻译引擎</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/secrets.py" line="86"/>
        <source>Microsoft Translator key</source>
        <translation>Microsoft 翻译密钥</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/secrets.py" line="87"/>
        <source>For the Microsoft translation engine</source>
        <translation>用于 Microsoft 翻译引擎</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/secrets.py" line="91"/>
        <source>LibreTranslate API key</source>
        <translation>LibreTranslate API 密钥</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/secrets.py" line="92"/>
        <source>Only if your LibreTranslate server asks for one</source>
        <translation>仅当您的 LibreTranslate 服务器要求时填写</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/secrets.py" line="96"/>
        <source>LLM API key</source>
        <translation>大语言模型 API 密钥</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/secrets.py" line="97"/>
        <source>For translation by a large language model</source>
        <translation>用于通过大语言模型翻译</translation>
    </message>
</context>
<context>
    <name>SecretsBox</name>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="266"/>
        <source>Keys and passwords</source>
        <translation>密钥和密码</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="273"/>
        <source>Checking the system keyring…</source>
        <translation>正在检查系统密钥环…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="285"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="286"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="321"/>
        <source>Not available</source>
        <translation>不可用</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="326"/>
        <source>Stored only in the system keyring, never in a file. Values are not shown.</source>
        <translation>仅保存在系统密钥环中，绝不写入文件。不会显示已保存的值。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="334"/>
        <source>Set</source>
        <translation>已设置</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="334"/>
        <source>Not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="336"/>
        <source>Type a new value to replace it</source>
        <translation>输入新值以替换</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="345"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="354"/>
        <source>Removing…</source>
        <translation>正在删除…</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../src/relaydesk/desktop/settings_dialog.py" line="150"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
</context>
<context>
    <name>ShiftNotice</name>
    <message>
        <location filename="../src/relaydesk/desktop/shift_notice.py" line="46"/>
        <source>%1 tomorrow</source>
        <translation>明天 %1</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shift_notice.py" line="54"/>
        <source>Your shift ends at %1: %2 of your %3 open conversations go to a colleague then, unless you keep them.</source>
        <translation>你的班次在 %1 结束：届时你的 %3 个未结会话中有 %2 个将交给同事，除非你保留它们。</translation>
    </message>
</context>
<context>
    <name>ShiftNoticeDialog</name>
    <message>
        <location filename="../src/relaydesk/desktop/shift_notice.py" line="85"/>
        <source>Your shift is ending</source>
        <translation>你的班次即将结束</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shift_notice.py" line="88"/>
        <source>Your shift ends at %1. These conversations go to a colleague on shift then, with your notes, unless you keep them:</source>
        <translation>你的班次在 %1 结束。届时这些会话将连同你的备注交给在班的同事，除非你保留它们：</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shift_notice.py" line="129"/>
        <source>Keep %1</source>
        <translation>保留 %1</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shift_notice.py" line="154"/>
        <source>Kept: stays with you after your shift.</source>
        <translation>已保留：班次结束后仍由你负责。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shift_notice.py" line="156"/>
        <source>Will be handed over at the end of your shift.</source>
        <translation>将在你的班次结束时移交。</translation>
    </message>
</context>
<context>
    <name>ShiftsView</name>
    <message>
        <location filename="../src/relaydesk/desktop/shifts_view.py" line="29"/>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shifts_view.py" line="29"/>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shifts_view.py" line="30"/>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shifts_view.py" line="30"/>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shifts_view.py" line="31"/>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shifts_view.py" line="31"/>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shifts_view.py" line="32"/>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shifts_view.py" line="99"/>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shifts_view.py" line="99"/>
        <source>Agent</source>
        <translation>客服</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shifts_view.py" line="99"/>
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shifts_view.py" line="99"/>
        <source>Until / from</source>
        <translation>截至 / 起始</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shifts_view.py" line="102"/>
        <source>(no team)</source>
        <translation>（无团队）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shifts_view.py" line="103"/>
        <source>on now</source>
        <translation>在班</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shifts_view.py" line="105"/>
        <source>next</source>
        <translation>下一班</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shifts_view.py" line="115"/>
        <source>Nobody in your teams has a shift now or next.</source>
        <translation>你的团队中现在和接下来都没有人当班。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shifts_view.py" line="118"/>
        <source>On shift now: %1</source>
        <translation>当前在班：%1</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shifts_view.py" line="122"/>
        <source>no schedule (always on)</source>
        <translation>无排班（始终在班）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/shifts_view.py" line="123"/>
        <source>all week</source>
        <translation>全周</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../src/relaydesk/desktop/team_signin.py" line="155"/>
        <source>Sign in to your team</source>
        <translation>登录到您的团队</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team_signin.py" line="171"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team_signin.py" line="175"/>
        <source>Server address:</source>
        <translation>服务器地址：</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team_signin.py" line="176"/>
        <source>Login:</source>
        <translation>登录名：</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team_signin.py" line="177"/>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team_signin.py" line="193"/>
        <source>Fill in the server address, your login and password.</source>
        <translation>请填写服务器地址、登录名和密码。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team_signin.py" line="198"/>
        <source>The address starts with http:// or https://.</source>
        <translation>地址须以 http:// 或 https:// 开头。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team_signin.py" line="201"/>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team_signin.py" line="218"/>
        <source>Wrong login or password for %1.</source>
        <translation>%1 的登录名或密码错误。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team_signin.py" line="221"/>
        <source>The team server at %1 cannot be reached. Check the address and your network.</source>
        <translation>无法连接位于 %1 的团队服务器。请检查地址和网络。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team_signin.py" line="224"/>
        <source>Too many failed sign-ins; try again in %1 s.</source>
        <translation>登录失败次数过多，请 %1 秒后重试。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team_signin.py" line="228"/>
        <source>%1 is not a Relaydesk team server (or needs a newer app).</source>
        <translation>%1 不是 Relaydesk 团队服务器（或需要更新版本的应用）。</translation>
    </message>
</context>
<context>
    <name>SupervisorBoard</name>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="119"/>
        <source>(add &quot;id&quot; to change a link)</source>
        <translation>（加上 &quot;id&quot; 即修改已有链接）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="121"/>
        <source>Save the link</source>
        <translation>保存链接</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="128"/>
        <source>Save the rules</source>
        <translation>保存规则</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="150"/>
        <source>Agents</source>
        <translation>客服</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="151"/>
        <source>Warnings</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="152"/>
        <source>Intake today</source>
        <translation>今日进线</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="153"/>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="294"/>
        <source>Forecast</source>
        <translation>预测</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="154"/>
        <source>Links</source>
        <translation>分流链接</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="155"/>
        <source>Rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="158"/>
        <source>Shifts</source>
        <translation>班次</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="160"/>
        <source>Workload</source>
        <translation>工作量</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="162"/>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="252"/>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="278"/>
        <source>Agent</source>
        <translation>客服</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="252"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="252"/>
        <source>Load</source>
        <translation>负载</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="252"/>
        <source>Capacity</source>
        <translation>容量</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="259"/>
        <source>Waiting: %1, oldest wait %2</source>
        <translation>等待中：%1，最长等待 %2</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="274"/>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="375"/>
        <source>No warnings</source>
        <translation>没有警告</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="278"/>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="278"/>
        <source>Link</source>
        <translation>链接</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="284"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="286"/>
        <source>By</source>
        <translation>维度</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="286"/>
        <source>Who</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="286"/>
        <source>New</source>
        <translation>新客户</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="286"/>
        <source>Returning</source>
        <translation>回头客</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="289"/>
        <source>Hour</source>
        <translation>小时</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="289"/>
        <source>Expected arrivals</source>
        <translation>预计进线</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="289"/>
        <source>Agents recommended</source>
        <translation>建议客服人数</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="297"/>
        <source>Slug</source>
        <translation>短链名</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="297"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="297"/>
        <source>Targets</source>
        <translation>目标账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="306"/>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="306"/>
        <source>away</source>
        <translation>离开</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="307"/>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="320"/>
        <source>Volume anomaly (%1): %2 new contacts since %3, %4× the usual (%5)</source>
        <translation>进线量异常（%1）：自 %3 起 %2 位新联系人，是平常（%5）的 %4 倍</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="321"/>
        <source>no team</source>
        <translation>无团队</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="327"/>
        <source>; nothing stands out</source>
        <translation>；没有突出项</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="328"/>
        <source>link</source>
        <translation>链接</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="328"/>
        <source>account</source>
        <translation>账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="329"/>
        <source>keyword</source>
        <translation>关键词</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="333"/>
        <source>; stands out: %1 %2, %3 of them (usually %4)</source>
        <translation>；突出项：%1 %2，其中 %3 个（平常 %4）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="342"/>
        <source>%1 holds %2 of %3</source>
        <translation>%1 负责 %2 个会话（容量 %3）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="347"/>
        <source>%1: no reply to %2, %3 past the deadline</source>
        <translation>%1：%2 未回复，已超过回复时限 %3</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="352"/>
        <source>%1: no reply in a conversation on %2, %3 past the deadline</source>
        <translation>%1：%2 上有会话未回复，已超过回复时限 %3</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="355"/>
        <source>%1: no reply in a conversation, %2 past the deadline</source>
        <translation>%1：有会话未回复，已超过回复时限 %2</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="359"/>
        <source>%1: 1 collision today</source>
        <translation>%1：今天 1 次撞单</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="360"/>
        <source>%1: %2 collisions today</source>
        <translation>%1：今天 %2 次撞单</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="364"/>
        <source>Tomorrow %1 need up to %2 agents; %3 online now</source>
        <translation>明天 %1 最多需要 %2 名客服；现在在线 %3 名</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="385"/>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="405"/>
        <source>Not JSON: %1</source>
        <translation>不是有效的 JSON：%1</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="397"/>
        <source>Saved; the team&apos;s workstations follow at once.</source>
        <translation>已保存；团队的工作站会立即同步。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/supervisor_board.py" line="417"/>
        <source>Saved %1 (code %2).</source>
        <translation>已保存 %1（代码 %2）。</translation>
    </message>
</context>
<context>
    <name>TeamIntake</name>
    <message>
        <location filename="../src/relaydesk/desktop/intake_team.py" line="107"/>
        <source>Team count: not signed in to a team server, so contacts count as on all your accounts.</source>
        <translation>团队计数：未登录团队服务器，因此联系人按“我的所有账号”计数。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/intake_team.py" line="170"/>
        <source>Team count: no account here is linked to a team account, so contacts count as on all your accounts.</source>
        <translation>团队计数：这里没有账号关联到团队账号，因此联系人按“我的所有账号”计数。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/intake_team.py" line="185"/>
        <source>Team count: the team server did not answer (%1); contacts it has not confirmed count as on all your accounts.</source>
        <translation>团队计数：团队服务器没有回应（%1）；未经其确认的联系人按“我的所有账号”计数。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/intake_team.py" line="288"/>
        <source>Team count: the team server cannot be reached; contacts it has not confirmed count as on all your accounts.</source>
        <translation>团队计数：无法连接团队服务器；未经其确认的联系人按“我的所有账号”计数。</translation>
    </message>
</context>
<context>
    <name>TeamMode</name>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="819"/>
        <source>The note stays on this workstation: you are signed out.</source>
        <translation>备注仅保存在本机：您已退出登录。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="824"/>
        <source>The note stays on this workstation: the team server cannot be reached.</source>
        <translation>备注仅保存在本机：无法连接团队服务器。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="827"/>
        <source>The note stays on this workstation (%1)</source>
        <translation>备注仅保存在本机（%1）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="120"/>
        <location filename="../src/relaydesk/desktop/team.py" line="179"/>
        <source>Team: not signed in</source>
        <translation>团队：未登录</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="143"/>
        <source>&amp;Team</source>
        <translation>团队(&amp;T)</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="153"/>
        <source>Sign in to a team server…</source>
        <translation>登录团队服务器…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="154"/>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="155"/>
        <source>Away</source>
        <translation>离开</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="157"/>
        <source>Link this account to a team account…</source>
        <translation>将此账号关联到团队账号…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="159"/>
        <source>Transfer this chat to…</source>
        <translation>将此会话转给…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="160"/>
        <source>Release this chat to the queue</source>
        <translation>将此会话放回队列</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="162"/>
        <source>Close this conversation</source>
        <translation>结束此会话</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="165"/>
        <source>Supervisor board</source>
        <translation>主管面板</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="181"/>
        <source>Team: away</source>
        <translation>团队：离开</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="181"/>
        <source>Team: online</source>
        <translation>团队：在线</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="183"/>
        <source>Team: signed out, sign in again</source>
        <translation>团队：已退出登录，请重新登录</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="185"/>
        <source>Team: offline, reconnecting (nothing is lost)</source>
        <translation>团队：离线，正在重连（不会丢失任何内容）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="326"/>
        <source>Team sync stopped: %1</source>
        <translation>团队同步已停止：%1</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="477"/>
        <source>You replied in a chat %1 owns: the team server records a collision and tells them.</source>
        <translation>您回复了 %1 负责的会话：团队服务器会记录一次撞单并通知对方。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="607"/>
        <source>Assigned to you.</source>
        <translation>已分配给您。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="610"/>
        <source>Owned by %1.</source>
        <translation>由 %1 负责。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="632"/>
        <source>%1 owns this chat: replying makes a collision.</source>
        <translation>此会话由 %1 负责：您回复将造成撞单。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="634"/>
        <source>Owned by a colleague</source>
        <translation>由同事负责</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="635"/>
        <source>%1 owns this conversation. Send your reply anyway?</source>
        <translation>此会话由 %1 负责。仍然发送您的回复吗？</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="662"/>
        <source>Assigned to you</source>
        <translation>已分配给您</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="667"/>
        <source>No longer yours</source>
        <translation>已不再由您负责</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="698"/>
        <source>You answered a conversation another agent owns</source>
        <translation>您回复了其他客服负责的会话</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="700"/>
        <source>%1 answered a conversation another agent owns</source>
        <translation>%1 回复了其他客服负责的会话</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="703"/>
        <source>You now hold more conversations than your capacity</source>
        <translation>您现在负责的会话超过了您的容量</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="705"/>
        <source>%1 now holds more conversations than their capacity</source>
        <translation>%1 现在负责的会话超过了其容量</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="710"/>
        <source>Reply deadline passed for %1 and nobody else can take it</source>
        <translation>%1 的回复时限已过，且没有其他客服可以接手</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="712"/>
        <source>A reply deadline passed and nobody else can take the conversation</source>
        <translation>有会话的回复时限已过，且没有其他客服可以接手</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="715"/>
        <source>Still no reply for %1 after the automatic handoffs</source>
        <translation>%1 经过多次自动转交仍未得到回复</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="718"/>
        <source>A conversation still has no reply after the automatic handoffs</source>
        <translation>有会话经过多次自动转交仍未得到回复</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="720"/>
        <source>You</source>
        <translation>您</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="723"/>
        <source>%1: %2 conversations today against %3 on average for the team</source>
        <translation>%1：今天 %2 个会话，团队平均 %3 个</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="758"/>
        <source>Tags: %1</source>
        <translation>标签：%1</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="759"/>
        <source>Note: %1</source>
        <translation>备注：%1</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="761"/>
        <source>Summary: %1</source>
        <translation>摘要：%1</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="764"/>
        <source>Handed to you by %1</source>
        <translation>由 %1 转交给您</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="764"/>
        <location filename="../src/relaydesk/desktop/team.py" line="767"/>
        <source>the queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="767"/>
        <source>Handed over to %1</source>
        <translation>已转交给 %1</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="834"/>
        <location filename="../src/relaydesk/desktop/team.py" line="877"/>
        <source>Open a chat of a team account first.</source>
        <translation>请先打开一个团队账号的会话。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="838"/>
        <source>The team server has no open conversation for this chat.</source>
        <translation>团队服务器上没有此会话的进行中记录。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="850"/>
        <source>No colleague to transfer to (the team server lists none).</source>
        <translation>没有可转交的同事（团队服务器未列出任何人）。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="852"/>
        <source>Transfer the chat</source>
        <translation>转交会话</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="852"/>
        <source>To:</source>
        <translation>转给：</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="898"/>
        <source>Team account</source>
        <translation>团队账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="899"/>
        <source>The team server&apos;s id of this account (empty: not a team account):</source>
        <translation>此账号在团队服务器上的 ID（留空：不是团队账号）：</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/team.py" line="919"/>
        <source>Team board</source>
        <translation>团队面板</translation>
    </message>
</context>
<context>
    <name>TranslationPanel</name>
    <message>
        <location filename="../src/relaydesk/desktop/translation_ui.py" line="136"/>
        <source>Write in your language; Enter puts the translation in the chat</source>
        <translation>用您的语言输入；按回车将译文填入聊天</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/translation_ui.py" line="148"/>
        <source>Quick replies</source>
        <translation>快捷回复</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/translation_ui.py" line="160"/>
        <source>Translate this chat</source>
        <translation>翻译此会话</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/translation_ui.py" line="163"/>
        <source>Check by translating back</source>
        <translation>回译核对</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/translation_ui.py" line="166"/>
        <source>Retry failed translations</source>
        <translation>重试失败的翻译</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/translation_ui.py" line="258"/>
        <source>Back: {text}</source>
        <translation>回译：{text}</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/translation_ui.py" line="296"/>
        <source>Nothing was put in the chat. Ctrl+Enter puts your original text there.</source>
        <translation>没有填入聊天。按 Ctrl+Enter 可填入您的原文。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/translation_ui.py" line="332"/>
        <source>Press Ctrl+Enter again to send it as is.</source>
        <translation>再按一次 Ctrl+Enter 按原样发送。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/translation_ui.py" line="151"/>
        <source>Insert a quick reply: it is translated into the contact&apos;s language</source>
        <translation>插入快捷回复：它会被翻译成联系人的语言</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/translation_ui.py" line="153"/>
        <source>Save as quick reply</source>
        <translation>存为快捷回复</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/translation_ui.py" line="154"/>
        <source>Keep the draft as a quick reply</source>
        <translation>把草稿保存为快捷回复</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/translation_ui.py" line="157"/>
        <source>Edit quick replies…</source>
        <translation>编辑快捷回复…</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/translation_ui.py" line="327"/>
        <source>The guard blocks it: Enter puts the translation in (Settings can change this).</source>
        <translation>防护已阻止：按 Enter 放入译文（可在设置中更改）。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/translation_ui.py" line="375"/>
        <source>Saved as a quick reply.</source>
        <translation>已存为快捷回复。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/translation_ui.py" line="375"/>
        <source>Already a quick reply.</source>
        <translation>已经是快捷回复。</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="134"/>
        <source>Welcome to Relaydesk</source>
        <translation>欢迎使用 Relaydesk</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="138"/>
        <source>1. Add your accounts</source>
        <translation>1. 添加您的账号</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="140"/>
        <source>Each WhatsApp, Telegram, Messenger, Instagram or LINE login becomes a tab with its own private storage, so accounts never mix.</source>
        <translation>每个 WhatsApp、Telegram、Messenger、Instagram 或 LINE 登录都会成为一个标签页，拥有独立的私有存储，账号之间互不混淆。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="145"/>
        <source>2. Watch the badges</source>
        <translation>2. 留意角标</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="147"/>
        <source>Every tab shows its unread messages (muted chats apart) and whether the page is healthy. The tray icon shows the total; desktop notifications open the chat.</source>
        <translation>每个标签页都会显示未读消息（静音会话单独显示）以及页面是否正常。托盘图标显示总数；点击桌面通知即可打开对应会话。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="153"/>
        <source>3. Work without switching apps</source>
        <translation>3. 无需切换应用</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="155"/>
        <source>Ctrl+1…9 jump between accounts, Ctrl+F finds an account or a contact, F5 reloads. Idle accounts sleep to save memory and wake when you click them.</source>
        <translation>Ctrl+1…9 在账号之间切换，Ctrl+F 查找账号或联系人，F5 重新加载。空闲账号会休眠以节省内存，点击即可唤醒。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="171"/>
        <source>Back</source>
        <translation>上一步</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="172"/>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="193"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/dialogs.py" line="193"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
</context>
<context>
    <name>WorkloadTab</name>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="239"/>
        <source>Agent</source>
        <translation>客服</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="239"/>
        <source>Given</source>
        <translation>分配</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="239"/>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="240"/>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="241"/>
        <source>usual</source>
        <translation>平常</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="239"/>
        <source>Replies</source>
        <translation>回复</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="240"/>
        <source>First reply</source>
        <translation>首次回复</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="241"/>
        <source>Active</source>
        <translation>活跃</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="241"/>
        <source>Load</source>
        <translation>负载</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="247"/>
        <source>The agent&apos;s usual %1 for this weekday up to this time</source>
        <translation>该客服在每周这一天截至此时的平常%1</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="251"/>
        <source>The routing load now: the agent&apos;s open conversations as the load model weighs them; load-aware routing gives new ones to the lowest load for its capacity first</source>
        <translation>当前路由负载：按负载模型加权的该客服进行中会话；按负载分配时，新会话优先交给相对容量负载最低的客服</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="260"/>
        <source>Team average</source>
        <translation>团队平均</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="269"/>
        <source>Far above the team&apos;s average today: %1</source>
        <translation>今天远高于团队平均：%1</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="272"/>
        <source>Nobody runs far above the team&apos;s average today.</source>
        <translation>今天没有人远高于团队平均。</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="289"/>
        <source>%1 conversations today: at least %2× the team&apos;s average and %3 above it</source>
        <translation>今天 %1 个会话：至少是团队平均的 %2 倍，且多出 %3 个</translation>
    </message>
</context>
<context>
    <name>WorkloadView</name>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="64"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="66"/>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="69"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="78"/>
        <source>%1 (no usual yet)</source>
        <translation>%1（尚无平常值）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="79"/>
        <source>%1 (usually %2)</source>
        <translation>%1（平常 %2）</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/workload_view.py" line="86"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../src/relaydesk/desktop/chat_services.py" line="732"/>
        <source>Relaydesk</source>
        <translation>Relaydesk</translation>
    </message>
    <message>
        <location filename="../src/relaydesk/desktop/chat_services.py" line="733"/>
        <source>The customer store could not be opened: %1</source>
        <translation>无法打开客户数据库：%1</translation>
    </message>
</context>
</TS>
