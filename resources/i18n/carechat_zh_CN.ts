<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AdminDialog</name>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="185"/>
        <source>Staff only</source>
        <translation>仅限工作人员</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="186"/>
        <source>What would you like to do?</source>
        <translation>您想做什么？</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="187"/>
        <source>Leave kiosk mode and close CareChat</source>
        <translation>退出自助模式并关闭 CareChat</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="188"/>
        <source>Leave kiosk mode</source>
        <translation>退出自助模式</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="189"/>
        <source>Clear the visit and close CareChat</source>
        <translation>清除本次使用记录并关闭 CareChat</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="190"/>
        <source>Settings (until CareChat restarts)</source>
        <translation>设置（在 CareChat 重新启动前有效）</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="191"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="192"/>
        <source>Model, device, answer length and look, for this run of the kiosk</source>
        <translation>本次自助运行的模型、设备、回答长度和外观</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="193"/>
        <location filename="../../chatapp/ui/pin_dialog.py" line="194"/>
        <source>Back to the kiosk</source>
        <translation>返回自助界面</translation>
    </message>
</context>
<context>
    <name>AskPanel</name>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="99"/>
        <source>Your question</source>
        <translation>你的问题</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="101"/>
        <source>Type your question. Enter sends, Shift+Enter starts a new line.</source>
        <translation>输入你的问题。按回车键发送，按 Shift+回车键换行。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="102"/>
        <source>Length of your question</source>
        <translation>问题的长度</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="103"/>
        <location filename="../../chatapp/ui/ask_panel.py" line="104"/>
        <source>Explain it simpler</source>
        <translation>说得更简单些</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="105"/>
        <source>Write the last answer again in simpler words</source>
        <translation>用更简单的话把上一个回答再写一遍</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="106"/>
        <location filename="../../chatapp/ui/ask_panel.py" line="107"/>
        <source>Check my understanding</source>
        <translation>检查我是否理解</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="108"/>
        <source>One or two short questions about the answer, to check it is clear</source>
        <translation>问一两个关于回答的小问题，看看是否讲清楚了</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="109"/>
        <source>Regenerate</source>
        <translation>重新回答</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="110"/>
        <source>Regenerate the answer</source>
        <translation>重新生成回答</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="111"/>
        <source>Ask the last question again for a new answer</source>
        <translation>把上一个问题再问一次，得到新的回答</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="112"/>
        <location filename="../../chatapp/ui/ask_panel.py" line="113"/>
        <source>Copy answer</source>
        <translation>复制回答</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="114"/>
        <source>Copy the chosen answer, or the last one, to the clipboard</source>
        <translation>把选中的回答（或最后一个回答）复制到剪贴板</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="115"/>
        <source>Save handout…</source>
        <translation>保存资料…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="116"/>
        <source>Save handout</source>
        <translation>保存资料</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="117"/>
        <source>Save this conversation&apos;s answers and their sources as a PDF</source>
        <translation>把这次对话的回答及其来源保存为 PDF</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="127"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="128"/>
        <source>Stop the answer</source>
        <translation>停止回答</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="129"/>
        <source>Stop the answer now (Esc)</source>
        <translation>马上停止回答（Esc 键）</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="131"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="132"/>
        <source>Send question</source>
        <translation>发送问题</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="133"/>
        <source>Send your question (Enter)</source>
        <translation>发送你的问题（回车键）</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="140"/>
        <source>Answer the question above in your own words, then press Enter.</source>
        <translation>用你自己的话回答上面的问题，然后按回车键。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="143"/>
        <source>Ask a health question in your own words, for example: “What is high blood pressure?”</source>
        <translation>用你自己的话问健康问题，例如：“什么是高血压？”</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="166"/>
        <source>Your text is {length} characters long; the limit is {limit}. Please shorten it, or ask one question at a time. Nothing was cut off.</source>
        <translation>你的文字有 {length} 个字符，上限是 {limit} 个。请缩短一些，或者一次只问一个问题。没有删掉任何内容。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/ask_panel.py" line="172"/>
        <source>{length} / {limit} characters</source>
        <translation>{length} / {limit} 个字符</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <location filename="../../chatapp/ui/conversations.py" line="54"/>
        <location filename="../../chatapp/ui/conversations.py" line="113"/>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/conversations.py" line="98"/>
        <source>Rename conversation</source>
        <translation>重命名对话</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/conversations.py" line="98"/>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/conversations.py" line="114"/>
        <source>Delete the conversation “{title}”? This cannot be undone.</source>
        <translation>删除对话“{title}”吗？删除后无法恢复。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/conversations.py" line="115"/>
        <source>Delete conversation</source>
        <translation>删除对话</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/conversations.py" line="143"/>
        <source>Please wait for the answer to finish, or stop it.</source>
        <translation>请等回答写完，或者先停止它。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/conversations.py" line="147"/>
        <source>Add a profile</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/conversations.py" line="147"/>
        <source>Name:</source>
        <translation>名字：</translation>
    </message>
</context>
<context>
    <name>EmergencyBanner</name>
    <message>
        <location filename="../../chatapp/ui/emergency_banner.py" line="31"/>
        <source>Emergency</source>
        <translation>紧急情况</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/emergency_banner.py" line="48"/>
        <source>I understand</source>
        <translation>我知道了</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/emergency_banner.py" line="49"/>
        <source>Close the emergency notice</source>
        <translation>关闭紧急提示</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/emergency_banner.py" line="50"/>
        <source>Hide this notice. Call for help first.</source>
        <translation>隐藏此提示。请先打电话求助。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/emergency_banner.py" line="84"/>
        <source>Call {number}</source>
        <translation>拨打 {number}</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/emergency_banner.py" line="85"/>
        <source>Call your local emergency number</source>
        <translation>请拨打当地急救电话</translation>
    </message>
</context>
<context>
    <name>Handout</name>
    <message>
        <location filename="../../chatapp/ui/handout.py" line="117"/>
        <source>Your CareChat handout</source>
        <translation>您的 CareChat 健康资料</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handout.py" line="145"/>
        <source>Date: {date}</source>
        <translation>日期：{date}</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handout.py" line="148"/>
        <source>These answers were written for the {level} reading level (about school grade {grade}).</source>
        <translation>这些回答是按“{level}”阅读难度写的（约为 {grade} 年级水平）。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handout.py" line="153"/>
        <source>No answers yet.</source>
        <translation>还没有回答。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handout.py" line="155"/>
        <source>Question {number}: {question}</source>
        <translation>问题 {number}：{question}</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handout.py" line="159"/>
        <source>Answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handout.py" line="164"/>
        <source>Important</source>
        <translation>重要提示</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handout.py" line="196"/>
        <source>No library source: check this with a clinician.</source>
        <translation>没有资料库来源：请向医生或护士核实。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handout.py" line="204"/>
        <source>Sources</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handout.py" line="238"/>
        <source>The handout could not be made.</source>
        <translation>无法生成健康资料。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handout.py" line="239"/>
        <source>Please try again.</source>
        <translation>请再试一次。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handout.py" line="257"/>
        <source>The handout could not be saved to {path} ({reason}).</source>
        <translation>无法把健康资料保存到 {path}（{reason}）。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handout.py" line="260"/>
        <source>Choose another folder, or check the disk has space.</source>
        <translation>请选择其他文件夹，或检查磁盘是否还有空间。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handout.py" line="275"/>
        <source>There is no printer called {name} on this computer.</source>
        <translation>这台电脑上没有名为 {name} 的打印机。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handout.py" line="276"/>
        <source>This computer has no printer.</source>
        <translation>这台电脑没有打印机。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handout.py" line="278"/>
        <source>Save the handout as a PDF instead.</source>
        <translation>请改为把健康资料保存为 PDF。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handout.py" line="285"/>
        <source>The printer {name} reported an error.</source>
        <translation>打印机 {name} 报告了错误。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handout.py" line="287"/>
        <source>Check the printer, or save the handout as a PDF.</source>
        <translation>请检查打印机，或把健康资料保存为 PDF。</translation>
    </message>
</context>
<context>
    <name>Handouts</name>
    <message>
        <location filename="../../chatapp/ui/handouts.py" line="49"/>
        <source>There is no finished answer to put in a handout yet.</source>
        <translation>还没有可以放进资料的完整回答。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handouts.py" line="51"/>
        <source>Save the handout</source>
        <translation>保存资料</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handouts.py" line="52"/>
        <source>CareChat handout.pdf</source>
        <translation>CareChat 资料.pdf</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handouts.py" line="53"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/handouts.py" line="63"/>
        <source>The handout was saved to {path}.</source>
        <translation>资料已保存到 {path}。</translation>
    </message>
</context>
<context>
    <name>IdleOverlay</name>
    <message>
        <location filename="../../chatapp/ui/idle_guard.py" line="113"/>
        <location filename="../../chatapp/ui/idle_guard.py" line="114"/>
        <source>Are you still there?</source>
        <translation>您还在吗？</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/idle_guard.py" line="115"/>
        <location filename="../../chatapp/ui/idle_guard.py" line="116"/>
        <source>I&apos;m still here</source>
        <translation>我还在</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/idle_guard.py" line="117"/>
        <source>Keep this visit and go on</source>
        <translation>保留这次咨询，继续使用</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/idle_guard.py" line="123"/>
        <source>Seconds left: {seconds}</source>
        <translation>剩余秒数：{seconds}</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/idle_guard.py" line="125"/>
        <source>For your privacy, this visit will be cleared in 1 second. Touch the screen to keep it.</source>
        <translation>为了保护您的隐私，这次咨询将在 1 秒后清除。触摸屏幕即可保留。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/idle_guard.py" line="128"/>
        <source>For your privacy, this visit will be cleared in {seconds} seconds. Touch the screen to keep it.</source>
        <translation>为了保护您的隐私，这次咨询将在 {seconds} 秒后清除。触摸屏幕即可保留。</translation>
    </message>
</context>
<context>
    <name>KioskWelcome</name>
    <message>
        <location filename="../../chatapp/ui/kiosk_welcome.py" line="102"/>
        <source>Welcome to CareChat</source>
        <translation>欢迎使用 CareChat</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/kiosk_welcome.py" line="104"/>
        <source>Ask a health question in your own words, or tap a topic to read about it. Nothing you ask is kept: when you are done, everything is cleared.</source>
        <translation>用您自己的话提出健康问题，或点一个主题来阅读。您问的内容不会被保存：您用完后，一切都会被清除。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/kiosk_welcome.py" line="106"/>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/kiosk_welcome.py" line="107"/>
        <location filename="../../chatapp/ui/kiosk_welcome.py" line="108"/>
        <source>Ask a question</source>
        <translation>提问</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/kiosk_welcome.py" line="109"/>
        <source>Start asking CareChat your health questions</source>
        <translation>开始向 CareChat 提出您的健康问题</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/kiosk_welcome.py" line="110"/>
        <source>Or read about a topic</source>
        <translation>或者阅读一个主题</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/kiosk_welcome.py" line="111"/>
        <source>The health topics are loading…</source>
        <translation>健康主题正在加载…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/kiosk_welcome.py" line="113"/>
        <source>CareChat gives general health information, not medical advice. If you feel very unwell, tell the front desk now.</source>
        <translation>CareChat 提供一般健康信息，不是医疗建议。如果您感觉非常不舒服，请马上告诉前台。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/kiosk_welcome.py" line="123"/>
        <source>Or tap a question to ask it:</source>
        <translation>或者点一个问题来提问：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/kiosk_welcome.py" line="135"/>
        <source>Read about {topic}</source>
        <translation>阅读：{topic}</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../chatapp/ui/kiosk_window.py" line="167"/>
        <location filename="../../chatapp/ui/kiosk_window.py" line="168"/>
        <source>I&apos;m done, clear my session</source>
        <translation>我用完了，清除我的记录</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/kiosk_window.py" line="169"/>
        <source>Clear everything from this visit and go back to the start</source>
        <translation>清除本次使用的全部内容并回到开始页面</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/kiosk_window.py" line="170"/>
        <source>Staff</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/kiosk_window.py" line="171"/>
        <source>Staff only</source>
        <translation>仅限工作人员</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/kiosk_window.py" line="172"/>
        <source>For clinic staff: needs the administrator PIN</source>
        <translation>供诊所工作人员使用：需要管理员 PIN 码</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/kiosk_window.py" line="173"/>
        <location filename="../../chatapp/ui/kiosk_window.py" line="174"/>
        <source>Print my handout</source>
        <translation>打印我的资料</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/kiosk_window.py" line="175"/>
        <source>Print the answers of this visit and their sources to take home</source>
        <translation>打印本次的回答及其来源，带回家看</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/kiosk_window.py" line="277"/>
        <source>One moment, please: CareChat is getting ready.</source>
        <translation>请稍等：CareChat 正在准备。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/kiosk_window.py" line="324"/>
        <source>There is no finished answer to print yet.</source>
        <translation>还没有可以打印的完整回答。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/kiosk_window.py" line="331"/>
        <source>Your handout is printing. Please collect it from the printer or ask at the front desk.</source>
        <translation>您的资料正在打印。请到打印机取，或询问前台。</translation>
    </message>
</context>
<context>
    <name>LevelDialog</name>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="217"/>
        <source>Reading level</source>
        <translation>阅读难度</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="218"/>
        <source>Choose how CareChat writes its answers for you. You can change this at any time.</source>
        <translation>选择 CareChat 给您写回答的方式。您可以随时更改。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="220"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="221"/>
        <source>Save the reading level</source>
        <translation>保存阅读难度</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="222"/>
        <source>Use this reading level from now on</source>
        <translation>从现在起使用这个阅读难度</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="223"/>
        <location filename="../../chatapp/ui/screener_dialog.py" line="224"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="224"/>
        <source>Close without changing it</source>
        <translation>关闭，不做更改</translation>
    </message>
</context>
<context>
    <name>LevelPicker</name>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="74"/>
        <source>Basic</source>
        <translation>简单</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="75"/>
        <source>Standard</source>
        <translation>标准</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="76"/>
        <source>Advanced</source>
        <translation>详细</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="79"/>
        <source>We&apos;ll write answers in short, simple sentences with everyday words.</source>
        <translation>我们会用简短、简单的句子和日常用语来写回答。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="81"/>
        <source>We&apos;ll write answers in clear, everyday language and explain any medical words.</source>
        <translation>我们会用清楚的日常语言来写回答，并解释用到的医学词语。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="84"/>
        <source>We&apos;ll write answers with more detail and some medical words, each one explained.</source>
        <translation>我们会写得更详细，也会用一些医学词语，并逐一解释。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="160"/>
        <source>Reading level</source>
        <translation>阅读难度</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="161"/>
        <source>How CareChat writes its answers for you</source>
        <translation>CareChat 给您写回答的方式</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="164"/>
        <source>{level} reading level</source>
        <translation>阅读难度：{level}</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="165"/>
        <source>Aim: reading grade {grade} or lower</source>
        <translation>目标：{grade} 年级或以下的阅读水平</translation>
    </message>
</context>
<context>
    <name>LibraryTab</name>
    <message>
        <location filename="../../chatapp/ui/library_tab.py" line="58"/>
        <source>The health library could not be opened: {error}</source>
        <translation>无法打开健康资料库：{error}</translation>
    </message>
</context>
<context>
    <name>ListenButton</name>
    <message>
        <location filename="../../chatapp/ui/read_aloud.py" line="304"/>
        <source>Stop reading</source>
        <translation>停止朗读</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/read_aloud.py" line="305"/>
        <source>Stop reading aloud</source>
        <translation>停止朗读</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/read_aloud.py" line="305"/>
        <source>Stop reading this aloud</source>
        <translation>停止朗读这段内容</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/read_aloud.py" line="307"/>
        <location filename="../../chatapp/ui/read_aloud.py" line="308"/>
        <source>Listen</source>
        <translation>朗读</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/read_aloud.py" line="308"/>
        <source>Read this aloud</source>
        <translation>把这段内容读出来</translation>
    </message>
</context>
<context>
    <name>LockedPanel</name>
    <message>
        <location filename="../../chatapp/ui/profile_lock.py" line="55"/>
        <source>This profile is locked: its conversations are encrypted on this computer. Unlock it with its passcode, or choose another profile on the left.</source>
        <translation>这个个人资料已锁定：它的对话在这台电脑上是加密的。请用密码解锁，或者在左边选择另一个个人资料。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/profile_lock.py" line="57"/>
        <source>Unlock…</source>
        <translation>解锁…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="337"/>
        <location filename="../../chatapp/ui/main_window.py" line="338"/>
        <source>CareChat</source>
        <translation>CareChat 健康助手</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="421"/>
        <source>Health information in plain words. It runs on this computer: nothing you type leaves it.</source>
        <translation>用简单的话讲健康知识。它在这台电脑上运行：你输入的内容不会离开这台电脑。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="341"/>
        <source>CareChat is not a doctor and cannot help in an emergency. If you think you may have an emergency, call your local emergency number now.</source>
        <translation>CareChat 不是医生，紧急情况下帮不了你。如果你觉得可能是急症，请马上拨打当地急救电话。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="343"/>
        <source>Important notice</source>
        <translation>重要提示</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="344"/>
        <source>Message</source>
        <translation>提示信息</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="345"/>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="346"/>
        <source>Ask questions and read the answers</source>
        <translation>提问并阅读回答</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="347"/>
        <source>Health topics</source>
        <translation>健康主题</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="348"/>
        <source>Read the health library, without the model</source>
        <translation>阅读健康资料库，不需要模型</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="349"/>
        <source>Chat or health topics</source>
        <translation>聊天或健康主题</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="350"/>
        <source>Switch between the chat and the health library (Ctrl+Tab)</source>
        <translation>在聊天和健康资料库之间切换（Ctrl+Tab）</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="352"/>
        <source>Model status</source>
        <translation>模型状态</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="353"/>
        <source>Loading the model</source>
        <translation>正在加载模型</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="354"/>
        <source>The model is loading</source>
        <translation>模型正在加载</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="417"/>
        <source>Health information in plain words. Answers are written by your clinic&apos;s server; your conversations are kept on this computer only.</source>
        <translation>用浅显的话讲解健康知识。回答由您诊所的服务器写出；您的对话只保存在这台电脑上。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="430"/>
        <source>Ask more about this:</source>
        <translation>关于这个，您还可以问：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="430"/>
        <source>You could ask:</source>
        <translation>您可以问：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="485"/>
        <source>Answers can be much better with a bigger model. This computer can run {name} (about {size} MB to download). To get it, open Settings, then Models…</source>
        <translation>换一个更大的模型，回答可以好很多。这台电脑可以运行 {name}（下载约 {size} MB）。要获取它，请打开“设置”，再点“模型…”。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="559"/>
        <source>Please wait for the answer to finish, or stop it.</source>
        <translation>请等回答写完，或者先停止它。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="569"/>
        <source>The API key could not be saved ({problem}).</source>
        <translation>API 密钥无法保存（{problem}）。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="534"/>
        <source>There is no answer to copy yet.</source>
        <translation>还没有可以复制的回答。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/main_window.py" line="538"/>
        <source>Answer copied.</source>
        <translation>回答已复制。</translation>
    </message>
</context>
<context>
    <name>ModelStatus</name>
    <message>
        <location filename="../../chatapp/ui/status_text.py" line="13"/>
        <source>Looking for the model…</source>
        <translation>正在查找模型…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/status_text.py" line="14"/>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/status_text.py" line="15"/>
        <source>Starting the model on the graphics card…</source>
        <translation>正在显卡上启动模型…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/status_text.py" line="16"/>
        <source>Starting the model…</source>
        <translation>正在启动模型…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/status_text.py" line="17"/>
        <source>Ready</source>
        <translation>已就绪</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/status_text.py" line="18"/>
        <source>Checking the model file…</source>
        <translation>正在检查模型文件…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/status_text.py" line="19"/>
        <source>Connecting to the clinic&apos;s server…</source>
        <translation>正在连接诊所的服务器…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/status_text.py" line="20"/>
        <source>The saved copy of the model is damaged; preparing it again…</source>
        <translation>保存的模型副本已损坏，正在重新准备…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/status_text.py" line="22"/>
        <source>Preparing the model for its first use. This happens once and can take a minute…</source>
        <translation>正在为第一次使用准备模型。只需要准备一次，可能要等一分钟…</translation>
    </message>
</context>
<context>
    <name>ModelsDialog</name>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="80"/>
        <location filename="../../chatapp/ui/models_dialog.py" line="97"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="84"/>
        <source>CareChat answers with the model in use. Bigger models write better answers and need more memory. Downloads come from the Hugging Face Hub, only when you ask.</source>
        <translation>CareChat 用“正在使用”的模型回答。模型越大,回答写得越好,也需要越多内存。只有在您要求时,才会从 Hugging Face Hub 下载。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="90"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="90"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="90"/>
        <source>Memory needed</source>
        <translation>所需内存</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="90"/>
        <source>Languages</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="91"/>
        <source>Speed here</source>
        <translation>本机速度</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="91"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="97"/>
        <source>Installed models and the catalog</source>
        <translation>已安装的模型和模型目录</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="100"/>
        <source>Use this model</source>
        <translation>使用这个模型</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="101"/>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="102"/>
        <source>Import a file…</source>
        <translation>导入文件…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="103"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="104"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="105"/>
        <source>Answer with the chosen model</source>
        <translation>用选中的模型回答</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="106"/>
        <source>Download the chosen catalog model</source>
        <translation>下载选中的目录模型</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="107"/>
        <source>Add a GGUF model file from this computer or a USB stick</source>
        <translation>从这台电脑或 U 盘添加 GGUF 模型文件</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="109"/>
        <source>Delete the chosen model&apos;s file</source>
        <translation>删除选中模型的文件</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="110"/>
        <source>Close this window</source>
        <translation>关闭这个窗口</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="120"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="121"/>
        <location filename="../../chatapp/ui/models_dialog.py" line="122"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="122"/>
        <source>Stop the download; what was downloaded is kept</source>
        <translation>停止下载;已下载的部分会保留</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="128"/>
        <source>Models status</source>
        <translation>模型状态</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="153"/>
        <source>Import a model file</source>
        <translation>导入模型文件</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="154"/>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="159"/>
        <source>Only the model file is requested from the Hugging Face Hub. Nothing about you or your conversations is sent.</source>
        <translation>只向 Hugging Face Hub 请求模型文件。不会发送任何关于您或您的对话的内容。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="172"/>
        <source>Built-in: SmolLM2 135M Instruct</source>
        <translation>内置:SmolLM2 135M Instruct</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="185"/>
        <source> — too much for this computer</source>
        <translation> — 超出这台电脑的内存</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="187"/>
        <source>Not downloaded</source>
        <translation>未下载</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="198"/>
        <source>In use</source>
        <translation>正在使用</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="198"/>
        <source>Installed</source>
        <translation>已安装</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="233"/>
        <source>Remove model</source>
        <translation>删除模型</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="234"/>
        <source>Delete {0} from this computer?</source>
        <translation>要从这台电脑删除 {0} 吗?</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="245"/>
        <source>Download {0} ({1}) from the Hugging Face Hub?</source>
        <translation>要从 Hugging Face Hub 下载 {0}({1})吗?</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="248"/>
        <source>It needs about {0} of memory, more than this computer has: it may not start.</source>
        <translation>它大约需要 {0} 内存,比这台电脑的多:可能无法启动。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="251"/>
        <source>Download a model</source>
        <translation>下载模型</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="260"/>
        <source>Downloading {0}…</source>
        <translation>正在下载 {0}…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="276"/>
        <source>Checking and copying {0}…</source>
        <translation>正在检查并复制 {0}…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="305"/>
        <source>{0} is installed. Choose it and press “Use this model” to answer with it.</source>
        <translation>{0} 已安装。选中它并按“使用这个模型”,就会用它回答。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/models_dialog.py" line="339"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
</context>
<context>
    <name>OnScreenKeyboard</name>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="180"/>
        <source>On-screen keyboard</source>
        <translation>屏幕键盘</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="182"/>
        <source>Shift</source>
        <translation>大写</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="182"/>
        <source>Type the next letter as a capital</source>
        <translation>下一个字母输入为大写</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="183"/>
        <source>Backspace</source>
        <translation>退格</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="184"/>
        <source>Delete the character before the cursor</source>
        <translation>删除光标前的字符</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="185"/>
        <source>space</source>
        <translation>空格</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="185"/>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="211"/>
        <source>Space</source>
        <translation>空格</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="185"/>
        <source>Type a space</source>
        <translation>输入空格</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="186"/>
        <source>Enter</source>
        <translation>回车</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="187"/>
        <source>Enter: sends your question from the question box</source>
        <translation>回车：发送问题框里的问题</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="188"/>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="188"/>
        <source>Hide keyboard</source>
        <translation>隐藏键盘</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="189"/>
        <source>Hide the on-screen keyboard</source>
        <translation>隐藏屏幕键盘</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="190"/>
        <source>Numbers and symbols</source>
        <translation>数字和符号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="191"/>
        <source>Show numbers and punctuation</source>
        <translation>显示数字和标点</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="192"/>
        <source>Letters</source>
        <translation>字母</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="192"/>
        <source>Show the letters</source>
        <translation>显示字母</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="193"/>
        <source>English letters</source>
        <translation>英文字母</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="193"/>
        <source>Type English letters</source>
        <translation>输入英文字母</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="195"/>
        <source>Chinese (pinyin)</source>
        <translation>中文（拼音）</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="196"/>
        <source>Type Chinese in pinyin</source>
        <translation>用拼音输入中文</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="204"/>
        <source>Type {character}</source>
        <translation>输入 {character}</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="211"/>
        <source>Comma</source>
        <translation>逗号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="211"/>
        <source>Full stop</source>
        <translation>句号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="212"/>
        <source>Question mark</source>
        <translation>问号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="212"/>
        <source>Apostrophe</source>
        <translation>撇号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="213"/>
        <source>Hyphen</source>
        <translation>连字符</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="213"/>
        <source>Slash</source>
        <translation>斜杠</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="213"/>
        <source>Colon</source>
        <translation>冒号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="214"/>
        <source>Semicolon</source>
        <translation>分号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="214"/>
        <source>Open bracket</source>
        <translation>左括号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="215"/>
        <source>Close bracket</source>
        <translation>右括号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="215"/>
        <source>And sign</source>
        <translation>和号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="215"/>
        <source>At sign</source>
        <translation>At 符号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="216"/>
        <source>Quotation mark</source>
        <translation>引号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="216"/>
        <source>Degree sign</source>
        <translation>度数符号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="217"/>
        <source>Percent</source>
        <translation>百分号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="217"/>
        <source>Plus</source>
        <translation>加号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="217"/>
        <source>Equals</source>
        <translation>等号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="218"/>
        <source>Number sign</source>
        <translation>井号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="218"/>
        <source>Exclamation mark</source>
        <translation>感叹号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="219"/>
        <source>Star</source>
        <translation>星号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="219"/>
        <source>Dollar sign</source>
        <translation>美元符号</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/onscreen_keyboard.py" line="219"/>
        <source>Underscore</source>
        <translation>下划线</translation>
    </message>
</context>
<context>
    <name>PasscodeDialog</name>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="176"/>
        <source>Passcode for “{name}”</source>
        <translation>“{name}”的密码</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="178"/>
        <source>A passcode encrypts this profile&apos;s conversations on this computer, and CareChat asks for it to open them. If you forget it, nobody can recover them: not CareChat, not your clinic. The profile can still be erased.</source>
        <translation>密码会把这个个人资料的对话在这台电脑上加密，打开时 CareChat 会要求输入密码。如果您忘记了密码，没有人能恢复这些对话：CareChat 不能，您的诊所也不能。这个个人资料仍然可以被删除。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="181"/>
        <source>Current passcode:</source>
        <translation>现在的密码：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="182"/>
        <source>New passcode:</source>
        <translation>新密码：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="183"/>
        <source>The same again:</source>
        <translation>再输入一次：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="184"/>
        <source>Current passcode</source>
        <translation>现在的密码</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="184"/>
        <source>The passcode it has now</source>
        <translation>它现在使用的密码</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="185"/>
        <source>New passcode</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="186"/>
        <source>At least 4 characters; a few words are easier to remember</source>
        <translation>至少 4 个字符；用几个词更容易记住</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="187"/>
        <source>New passcode again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="187"/>
        <source>Type it once more</source>
        <translation>再输入一次</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="188"/>
        <source>Change passcode</source>
        <translation>更改密码</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="189"/>
        <source>Protect with this passcode</source>
        <translation>用这个密码保护</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="191"/>
        <source>Remove the passcode</source>
        <translation>取消密码</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="192"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="196"/>
        <source>The two new passcodes differ.</source>
        <translation>两次输入的新密码不一样。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="201"/>
        <source>A passcode needs at least 4 characters.</source>
        <translation>密码至少需要 4 个字符。</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="105"/>
        <source>Staff only</source>
        <translation>仅限工作人员</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="106"/>
        <source>Staff only: enter the administrator PIN.</source>
        <translation>仅限工作人员：请输入管理员 PIN 码。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="107"/>
        <source>Administrator PIN</source>
        <translation>管理员 PIN 码</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="107"/>
        <source>Digits only</source>
        <translation>只能输入数字</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="109"/>
        <location filename="../../chatapp/ui/pin_dialog.py" line="110"/>
        <source>Delete the last digit</source>
        <translation>删除最后一位数字</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="111"/>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="112"/>
        <source>Check the PIN</source>
        <translation>核对 PIN 码</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="113"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="114"/>
        <source>Back to CareChat</source>
        <translation>返回 CareChat</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="115"/>
        <source>Back to CareChat without the PIN</source>
        <translation>不输入 PIN 码，返回 CareChat</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="132"/>
        <source>That PIN is not right. Tries left before a wait: {n}.</source>
        <translation>PIN 码不对。需要等待之前还可以再试 {n} 次。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pin_dialog.py" line="138"/>
        <source>Too many wrong PINs. Try again in {seconds} seconds.</source>
        <translation>错误的 PIN 码太多。请在 {seconds} 秒后再试。</translation>
    </message>
</context>
<context>
    <name>PinyinBar</name>
    <message>
        <location filename="../../chatapp/ui/pinyin_bar.py" line="86"/>
        <source>More candidates</source>
        <translation>更多候选字</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pinyin_bar.py" line="86"/>
        <source>Show more Chinese candidates</source>
        <translation>显示更多中文候选字词</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pinyin_bar.py" line="87"/>
        <source>Pinyin typed</source>
        <translation>已输入的拼音</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/pinyin_bar.py" line="122"/>
        <source>Type {word}</source>
        <translation>输入 {word}</translation>
    </message>
</context>
<context>
    <name>ProfileLock</name>
    <message>
        <location filename="../../chatapp/ui/profile_lock.py" line="216"/>
        <source>This profile&apos;s conversations are now encrypted. CareChat will ask for the passcode to open them.</source>
        <translation>这个个人资料的对话现在已加密。打开时 CareChat 会要求输入密码。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/profile_lock.py" line="221"/>
        <source>The passcode was changed.</source>
        <translation>密码已更改。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/profile_lock.py" line="224"/>
        <source>The passcode was removed: this profile&apos;s conversations are no longer encrypted.</source>
        <translation>密码已取消：这个个人资料的对话不再加密。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/profile_lock.py" line="227"/>
        <source>The current passcode was not right; nothing was changed.</source>
        <translation>现在的密码不对；没有做任何更改。</translation>
    </message>
</context>
<context>
    <name>QuestionButtons</name>
    <message>
        <location filename="../../chatapp/ui/question_buttons.py" line="77"/>
        <source>Ask this question</source>
        <translation>问这个问题</translation>
    </message>
</context>
<context>
    <name>ReadAloud</name>
    <message>
        <location filename="../../chatapp/ui/read_aloud.py" line="111"/>
        <source>There is nothing to read aloud here yet.</source>
        <translation>这里还没有可以朗读的内容。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/read_aloud.py" line="116"/>
        <source>Read-aloud is not available: Qt&apos;s speech module could not be loaded ({problem}). Install PySide6-Addons and, on Debian or Ubuntu, “sudo apt install libpulse0 speech-dispatcher espeak-ng”.</source>
        <translation>无法朗读：Qt 的语音模块无法加载（{problem}）。请安装 PySide6-Addons；在 Debian 或 Ubuntu 上运行“sudo apt install libpulse0 speech-dispatcher espeak-ng”。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/read_aloud.py" line="213"/>
        <source>Read-aloud is not available: this computer has no speech engine. On Debian or Ubuntu: “sudo apt install speech-dispatcher espeak-ng”.</source>
        <translation>无法朗读：这台电脑没有语音引擎。在 Debian 或 Ubuntu 上运行“sudo apt install speech-dispatcher espeak-ng”。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/read_aloud.py" line="190"/>
        <source>Read-aloud is not available: the speech engine did not start ({problem}). On Debian or Ubuntu: “sudo apt install speech-dispatcher espeak-ng”; on Windows and macOS, add a voice in the system&apos;s speech settings.</source>
        <translation>无法朗读：语音引擎没有启动（{problem}）。在 Debian 或 Ubuntu 上运行“sudo apt install speech-dispatcher espeak-ng”；在 Windows 和 macOS 上，请在系统的语音设置中添加语音。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/read_aloud.py" line="162"/>
        <source>it did not answer within {seconds} seconds; restarting speech-dispatcher, or the computer, may help</source>
        <translation>{seconds} 秒内没有回应；重新启动 speech-dispatcher 或电脑也许能解决</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/read_aloud.py" line="245"/>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/read_aloud.py" line="245"/>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/read_aloud.py" line="247"/>
        <source>No {language} voice is installed, so this cannot be read aloud. To add one: on Debian or Ubuntu, “sudo apt install espeak-ng speech-dispatcher-espeak-ng”; on Windows, Settings › Time &amp; language › Speech › Add voices; on macOS, System Settings › Accessibility › Spoken Content › System voice.</source>
        <translation>这台电脑没有安装{language}语音，所以无法朗读。添加方法：在 Debian 或 Ubuntu 上运行“sudo apt install espeak-ng speech-dispatcher-espeak-ng”；在 Windows 上，打开“设置 › 时间和语言 › 语音 › 添加语音”；在 macOS 上，打开“系统设置 › 辅助功能 › 朗读内容 › 系统语音”。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/read_aloud.py" line="268"/>
        <source>Reading aloud stopped: {problem}</source>
        <translation>朗读已停止：{problem}</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/read_aloud.py" line="172"/>
        <location filename="../../chatapp/ui/read_aloud.py" line="269"/>
        <source>the speech engine failed</source>
        <translation>语音引擎出错</translation>
    </message>
</context>
<context>
    <name>ScreenerDialog</name>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="332"/>
        <source>Skip the questions</source>
        <translation>跳过这些问题</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="333"/>
        <source>Skip all the questions. CareChat will write in short, simple sentences.</source>
        <translation>跳过所有问题。CareChat 会用简短、简单的句子来写。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="335"/>
        <location filename="../../chatapp/ui/screener_dialog.py" line="336"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="337"/>
        <source>Finish. Questions you left out count as skipped.</source>
        <translation>完成。没有回答的问题算作跳过。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="338"/>
        <location filename="../../chatapp/ui/screener_dialog.py" line="339"/>
        <source>Change my answers</source>
        <translation>修改我的回答</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="340"/>
        <source>Go back to the questions</source>
        <translation>回到问题页面</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="341"/>
        <location filename="../../chatapp/ui/screener_dialog.py" line="342"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="342"/>
        <source>Close and start using CareChat</source>
        <translation>关闭，开始使用 CareChat</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="365"/>
        <source>Your answers stay on this computer.</source>
        <translation>您的回答只保存在这台电脑上。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="383"/>
        <source>This is how big the text will be.</source>
        <translation>文字会是这么大。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="422"/>
        <location filename="../../chatapp/ui/screener_dialog.py" line="446"/>
        <source>Choose “{option}”</source>
        <translation>选择“{option}”</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="431"/>
        <source>Question {number} of {total}</source>
        <translation>第 {number} 题，共 {total} 题</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="436"/>
        <source>Source: {citation}</source>
        <translation>出处：{citation}</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="441"/>
        <source>I&apos;d rather not say</source>
        <translation>我不想回答</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="445"/>
        <source>Skip this question</source>
        <translation>跳过这个问题</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="523"/>
        <source>Thank you.</source>
        <translation>谢谢您。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="524"/>
        <source>Your reading level: {level}</source>
        <translation>您的阅读难度：{level}</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="531"/>
        <source>Language: {language}. Text size: {size}%. Answers: {length}.</source>
        <translation>语言：{language}。文字大小：{size}%。回答：{length}。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/screener_dialog.py" line="534"/>
        <source>You can change these at any time from the profile menu.</source>
        <translation>您可以随时在个人资料菜单中更改这些设置。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="83"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="88"/>
        <source>Built-in model (SmolLM2-135M-Instruct)</source>
        <translation>内置模型（SmolLM2-135M-Instruct）</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="89"/>
        <source>Model file or folder</source>
        <translation>模型文件或文件夹</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="90"/>
        <source>A GGUF file or a folder with a Hugging Face model. Leave empty for the built-in model.</source>
        <translation>一个 GGUF 文件，或一个存放 Hugging Face 模型的文件夹。留空则使用内置模型。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="92"/>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="93"/>
        <location filename="../../chatapp/ui/settings_dialog.py" line="319"/>
        <source>Choose a model file</source>
        <translation>选择模型文件</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="94"/>
        <source>Choose a GGUF model file</source>
        <translation>选择一个 GGUF 模型文件</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="95"/>
        <source>Choose folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="96"/>
        <location filename="../../chatapp/ui/settings_dialog.py" line="325"/>
        <source>Choose a model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="97"/>
        <source>Choose a folder with a Hugging Face model</source>
        <translation>选择存放 Hugging Face 模型的文件夹</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="98"/>
        <source>Models…</source>
        <translation>模型…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="99"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="100"/>
        <source>Installed models and the catalog: download, import, choose</source>
        <translation>已安装的模型和模型目录:下载、导入、选择</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="109"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="111"/>
        <source>Device</source>
        <translation>运行设备</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="111"/>
        <source>Where the model runs</source>
        <translation>模型在哪里运行</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="112"/>
        <source>Automatic (graphics card if there is one)</source>
        <translation>自动（有显卡就用显卡）</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="113"/>
        <source>Processor (CPU)</source>
        <translation>处理器（CPU）</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="114"/>
        <source>Graphics card (CUDA)</source>
        <translation>显卡（CUDA）</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="115"/>
        <source>Apple graphics (MPS)</source>
        <translation>苹果显卡（MPS）</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="117"/>
        <source>Device:</source>
        <translation>运行设备：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="119"/>
        <source>Answer length</source>
        <translation>回答长度</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="120"/>
        <source>How long answers may be</source>
        <translation>回答可以有多长</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="121"/>
        <source>Short</source>
        <translation>短</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="122"/>
        <location filename="../../chatapp/ui/settings_dialog.py" line="130"/>
        <source>Normal</source>
        <translation>普通</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="123"/>
        <source>Long</source>
        <translation>长</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="125"/>
        <source>Answer length:</source>
        <translation>回答长度：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="128"/>
        <source>Reading-aloud speed</source>
        <translation>朗读速度</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="128"/>
        <source>How fast Listen reads the text aloud</source>
        <translation>“朗读”读出文字的快慢</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="129"/>
        <source>Slower</source>
        <translation>慢一些</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="131"/>
        <source>Faster</source>
        <translation>快一些</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="133"/>
        <source>Reading-aloud speed:</source>
        <translation>朗读速度：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="136"/>
        <source>Lock after</source>
        <translation>多久后锁定</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="137"/>
        <source>A profile with a passcode locks after this long without use</source>
        <translation>有密码的个人资料在这么长时间没有使用后会锁定</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="138"/>
        <source>{minutes} minutes</source>
        <translation>{minutes} 分钟</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="140"/>
        <source>Lock protected profiles after:</source>
        <translation>受保护的个人资料锁定时间：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="142"/>
        <source>Theme</source>
        <translation>外观</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="142"/>
        <source>Colours of the window</source>
        <translation>窗口的颜色</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="143"/>
        <source>Same as my computer</source>
        <translation>跟随电脑设置</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="144"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="145"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="146"/>
        <source>High contrast</source>
        <translation>高对比度</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="148"/>
        <source>Theme:</source>
        <translation>外观：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="150"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="150"/>
        <source>Language of CareChat</source>
        <translation>CareChat 使用的语言</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="154"/>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="160"/>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="161"/>
        <source>Where CareChat keeps your conversations on this computer</source>
        <translation>CareChat 在这台电脑上保存对话的位置</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="162"/>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="163"/>
        <source>Open the data folder</source>
        <translation>打开数据文件夹</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="164"/>
        <source>Show the data folder in your file manager</source>
        <translation>在文件管理器中显示数据文件夹</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="169"/>
        <source>Data folder:</source>
        <translation>数据文件夹：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="174"/>
        <source>Problem with the settings</source>
        <translation>设置有问题</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="181"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="182"/>
        <source>Save settings</source>
        <translation>保存设置</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="182"/>
        <source>Save and close</source>
        <translation>保存并关闭</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="184"/>
        <location filename="../../chatapp/ui/settings_dialog.py" line="185"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="185"/>
        <source>Close without saving</source>
        <translation>不保存，直接关闭</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="201"/>
        <source>None: answers are written on this computer</source>
        <translation>无：回答由这台电脑写出</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="202"/>
        <source>Clinic server</source>
        <translation>诊所服务器</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="203"/>
        <source>The address of your clinic&apos;s AI server, for example http://192.168.1.20:8000. Leave empty to use the model on this computer.</source>
        <translation>您诊所的 AI 服务器地址，例如 http://192.168.1.20:8000。留空则使用这台电脑上的模型。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="206"/>
        <source>Clinic server:</source>
        <translation>诊所服务器：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="210"/>
        <source>Warning about the server address</source>
        <translation>关于服务器地址的警告</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="216"/>
        <source>The server&apos;s first model</source>
        <translation>服务器的第一个模型</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="217"/>
        <source>Server model</source>
        <translation>服务器模型</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="218"/>
        <source>The name of the model on the server</source>
        <translation>服务器上模型的名称</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="219"/>
        <source>Server model:</source>
        <translation>服务器模型：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="224"/>
        <source>A key is saved; type to replace it</source>
        <translation>已保存密钥；输入新密钥可替换</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="225"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="226"/>
        <source>Server API key</source>
        <translation>服务器 API 密钥</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="227"/>
        <source>Kept in a file only you can read, never in the conversations</source>
        <translation>保存在只有您能读取的文件中，绝不放进对话记录</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="228"/>
        <source>Forget the saved key</source>
        <translation>删除已保存的密钥</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="233"/>
        <source>API key:</source>
        <translation>API 密钥：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="235"/>
        <source>Use the model on this computer when the server cannot be reached</source>
        <translation>连不上服务器时，使用这台电脑上的模型</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="244"/>
        <source>This address is not encrypted (http) and not inside the clinic: patients&apos; questions would cross the internet readable by others. Use https, or a server on the clinic&apos;s network.</source>
        <translation>这个地址没有加密（http），也不在诊所内部：患者的问题会经过互联网传送，别人可以读到。请使用 https 地址，或诊所网络里的服务器。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="299"/>
        <source>The clinic server&apos;s address must look like http://192.168.1.20:8000 or https://ai.clinic.example.</source>
        <translation>诊所服务器的地址应当像 http://192.168.1.20:8000 或 https://ai.clinic.example 这样。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="304"/>
        <source>An API key is one word, without spaces.</source>
        <translation>API 密钥是一串不含空格的字符。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/settings_dialog.py" line="319"/>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="116"/>
        <source>&amp;Profile:</source>
        <translation>用户(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="117"/>
        <source>Profile</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="118"/>
        <source>Whose conversations and settings are shown</source>
        <translation>显示谁的对话和设置</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="119"/>
        <source>Your conversations</source>
        <translation>你的对话</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="120"/>
        <source>Search your conversations</source>
        <translation>搜索你的对话</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="121"/>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="122"/>
        <source>Find words in your past questions and answers (Ctrl+F)</source>
        <translation>在以前的问题和回答中查找字词（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="123"/>
        <location filename="../../chatapp/ui/sidebar.py" line="124"/>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="125"/>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>开始新对话（Ctrl+N）</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="126"/>
        <source>Conversations</source>
        <translation>对话列表</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="127"/>
        <source>Choose a conversation to read it again</source>
        <translation>选择一个对话，再看一遍</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="128"/>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="129"/>
        <source>Rename conversation</source>
        <translation>重命名对话</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="130"/>
        <source>Give the chosen conversation a new name</source>
        <translation>给选中的对话起个新名字</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="131"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="132"/>
        <source>Delete conversation</source>
        <translation>删除对话</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="133"/>
        <source>Delete the chosen conversation for good</source>
        <translation>永久删除选中的对话</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="134"/>
        <location filename="../../chatapp/ui/sidebar.py" line="135"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="136"/>
        <source>Model, device, answer length, theme and language (Ctrl+,)</source>
        <translation>模型、运行设备、回答长度、外观和语言（Ctrl+,）</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="138"/>
        <location filename="../../chatapp/ui/sidebar.py" line="163"/>
        <source>Add a profile…</source>
        <translation>添加用户…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="139"/>
        <source>Reading level</source>
        <translation>阅读难度</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="140"/>
        <source>How simply answers are written for this profile</source>
        <translation>为这个用户写回答时用多简单的话</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="141"/>
        <source>Passcode</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="142"/>
        <source>Protect this profile&apos;s conversations with a passcode, or change or remove it</source>
        <translation>用密码保护这个个人资料的对话，或者更改、取消密码</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="144"/>
        <source>Choose the reading level…</source>
        <translation>选择阅读难度…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="145"/>
        <source>Answer the reading questions…</source>
        <translation>回答阅读小问题…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="150"/>
        <source>Reading level: {level}</source>
        <translation>阅读难度：{level}</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="171"/>
        <source>No conversations yet.</source>
        <translation>还没有对话。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="183"/>
        <source>Nothing found for “{query}”.</source>
        <translation>没有找到“{query}”。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="202"/>
        <source>Passcode…</source>
        <translation>密码…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="203"/>
        <source>Protect with a passcode…</source>
        <translation>用密码保护…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/sidebar.py" line="209"/>
        <source>This profile is locked.</source>
        <translation>这个个人资料已锁定。</translation>
    </message>
</context>
<context>
    <name>TopicsBrowser</name>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="249"/>
        <location filename="../../chatapp/ui/topics_browser.py" line="255"/>
        <source>Health topics</source>
        <translation>健康主题</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="250"/>
        <source>&amp;Search the topics:</source>
        <translation>搜索主题(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="251"/>
        <source>For example: asthma, sugar, back pain</source>
        <translation>例如：哮喘、血糖、腰痛</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="252"/>
        <source>Search health topics</source>
        <translation>搜索健康主题</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="253"/>
        <source>Type a word to show only the topics about it. Press Down to go to the list, Esc to clear.</source>
        <translation>输入一个词，只显示相关的主题。按向下键进入列表，按 Esc 清除。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="256"/>
        <source>Choose a topic and press Enter to read it</source>
        <translation>选择一个主题，按回车键阅读</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="257"/>
        <source>Article</source>
        <translation>文章</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="258"/>
        <source>The chosen topic. Links to web pages ask before they open.</source>
        <translation>选中的主题。打开网页链接前会先询问您。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="259"/>
        <source>Choose a topic on the left to read about it.</source>
        <translation>请在左边选择一个主题来阅读。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="260"/>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="261"/>
        <source>Hide this message</source>
        <translation>隐藏这条消息</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="262"/>
        <source>Hide the message about library files with mistakes</source>
        <translation>隐藏关于有错误的资料文件的消息</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="263"/>
        <location filename="../../chatapp/ui/topics_browser.py" line="328"/>
        <source>Library problem</source>
        <translation>资料库问题</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="273"/>
        <location filename="../../chatapp/ui/topics_browser.py" line="274"/>
        <source>Hide answers</source>
        <translation>隐藏答案</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="275"/>
        <source>Hide the answers to the questions</source>
        <translation>隐藏问题的答案</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="277"/>
        <location filename="../../chatapp/ui/topics_browser.py" line="278"/>
        <source>Show answers</source>
        <translation>显示答案</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="279"/>
        <source>Show the answers to the “Check your understanding” questions</source>
        <translation>显示“检查您的理解”问题的答案</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="325"/>
        <source>Some library articles could not be shown because their files have mistakes. Please tell the clinic staff. Files: {files}</source>
        <translation>有些资料文章的文件有错误，所以无法显示。请告诉诊所工作人员。文件：{files}</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="350"/>
        <source>{title} (in English)</source>
        <translation>{title}（英文）</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="360"/>
        <source>No topic matches “{query}”. Try another word.</source>
        <translation>没有与“{query}”相关的主题。请换一个词试试。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="460"/>
        <source>&amp;Reading level:</source>
        <translation>阅读难度(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="463"/>
        <source>Reading level of the article</source>
        <translation>文章的阅读难度</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="464"/>
        <source>Read this topic in easier words or in more detail</source>
        <translation>用更简单的话，或者更详细地阅读这个主题</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="498"/>
        <location filename="../../chatapp/ui/topics_browser.py" line="549"/>
        <source>Check your understanding</source>
        <translation>检查您的理解</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="511"/>
        <source>This topic is not yet available in your language, so it is shown in English.</source>
        <translation>这个主题还没有中文版，所以用英文显示。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="518"/>
        <source>Ask CareChat about this:</source>
        <translation>向 CareChat 提问：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="530"/>
        <source>Reviewed by {who} on {date}.</source>
        <translation>审阅人：{who}，审阅日期：{date}。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="533"/>
        <source>Added by your clinic.</source>
        <translation>由您的诊所添加。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="538"/>
        <source>Sources</source>
        <translation>资料来源</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="554"/>
        <source>Answer:</source>
        <translation>答案：</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="557"/>
        <source>Think about your answers, then press “Show answers” below the article.</source>
        <translation>先想一想您的答案，然后按文章下方的“显示答案”。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="564"/>
        <source>d MMMM yyyy</source>
        <translation>yyyy年M月d日</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="569"/>
        <source>Open in your web browser?</source>
        <translation>在网页浏览器中打开吗？</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/topics_browser.py" line="570"/>
        <source>This link opens a web page outside CareChat:

{url}

It needs the internet. Open it in your web browser?</source>
        <translation>这个链接会打开 CareChat 以外的网页：

{url}

需要连接互联网。要在网页浏览器中打开吗？</translation>
    </message>
</context>
<context>
    <name>TranscriptView</name>
    <message>
        <location filename="../../chatapp/ui/transcript_view.py" line="17"/>
        <source>Stopped before the end.</source>
        <translation>回答未写完就停止了。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/transcript_view.py" line="18"/>
        <source>Cut off: CareChat closed while writing this answer.</source>
        <translation>回答中断：CareChat 在写这个回答时关闭了。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/transcript_view.py" line="21"/>
        <source>This answer failed.</source>
        <translation>这个回答出错了。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/transcript_view.py" line="67"/>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/transcript_view.py" line="68"/>
        <source>Your questions and CareChat&apos;s answers</source>
        <translation>你的问题和 CareChat 的回答</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/transcript_view.py" line="70"/>
        <location filename="../../chatapp/ui/transcript_view.py" line="80"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/transcript_view.py" line="70"/>
        <location filename="../../chatapp/ui/transcript_view.py" line="81"/>
        <source>CareChat</source>
        <translation>CareChat 健康助手</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/transcript_view.py" line="73"/>
        <source>Writing…</source>
        <translation>正在写…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/transcript_view.py" line="74"/>
        <source>Sources: {titles}</source>
        <translation>来源：{titles}</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/transcript_view.py" line="75"/>
        <source>Easy to read: grade {grade}</source>
        <translation>容易读：{grade} 年级水平</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/transcript_view.py" line="76"/>
        <source>Fairly easy to read: grade {grade}</source>
        <translation>比较容易读：{grade} 年级水平</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/transcript_view.py" line="77"/>
        <source>Harder to read: grade {grade}</source>
        <translation>有点难读：{grade} 年级水平</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/transcript_view.py" line="78"/>
        <source>Hard to read: grade {grade}</source>
        <translation>难读：{grade} 年级水平</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/transcript_view.py" line="79"/>
        <source>No library source: check this with a clinician.</source>
        <translation>没有资料库来源：请向医生或护士核实。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/transcript_view.py" line="82"/>
        <source>Note</source>
        <translation>说明</translation>
    </message>
</context>
<context>
    <name>TurnController</name>
    <message>
        <location filename="../../chatapp/ui/turn_controller.py" line="142"/>
        <source>Writing the answer… (Esc stops it)</source>
        <translation>正在写回答…（按 Esc 键停止）</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/turn_controller.py" line="144"/>
        <source>The model could not start.</source>
        <translation>模型无法启动。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/turn_controller.py" line="146"/>
        <source>Ready: answers are written by your clinic&apos;s server ({model})</source>
        <translation>就绪：回答由您诊所的服务器写出（{model}）</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/turn_controller.py" line="149"/>
        <source>Ready: {model}</source>
        <translation>已就绪：{model}</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/turn_controller.py" line="150"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/turn_controller.py" line="169"/>
        <source>{problem} You can still read your conversations, and questions about emergencies are still answered. To fix this, choose another model in Settings.</source>
        <translation>{problem} 你仍然可以查看以前的对话，关于急症的问题也仍然会得到回答。要解决这个问题，请在“设置”里选择另一个模型。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/turn_controller.py" line="184"/>
        <source>Please type a question first.</source>
        <translation>请先输入问题。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/turn_controller.py" line="235"/>
        <source>Explain it simpler</source>
        <translation>说得更简单些</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/turn_controller.py" line="246"/>
        <source>Check my understanding</source>
        <translation>检查我是否理解</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/turn_controller.py" line="255"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/turn_controller.py" line="291"/>
        <source>The model could not start, so CareChat cannot answer this. You can still read your conversations. If you think you may have an emergency, call your local emergency number now.</source>
        <translation>模型无法启动，所以 CareChat 现在回答不了这个问题。你仍然可以查看以前的对话。如果你觉得可能是急症，请马上拨打当地急救电话。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/turn_controller.py" line="295"/>
        <source>The model is still loading, so CareChat cannot answer this yet. Please try again in a moment. If you think you may have an emergency, call your local emergency number now.</source>
        <translation>模型还在加载，所以 CareChat 暂时回答不了。请稍后再试。如果你觉得可能是急症，请马上拨打当地急救电话。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/turn_controller.py" line="344"/>
        <source>{model} · {tokens} tokens · {speed:.1f} tokens/s</source>
        <translation>{model} · {tokens} 个词元 · 每秒 {speed:.1f} 个</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/turn_controller.py" line="351"/>
        <source>This conversation is now longer than the model can read at once, so its oldest messages were left out of this answer. They are still saved here.</source>
        <translation>这个对话太长了，模型一次读不完，所以这次回答没有用到最早的几条消息。这些消息仍然保存在这里。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/turn_controller.py" line="364"/>
        <source>CareChat answered: {answer}</source>
        <translation>CareChat 回答：{answer}</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="71"/>
        <source>Protected profile</source>
        <translation>受保护的个人资料</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="72"/>
        <source>“{name}” is protected. Type its passcode to open it.</source>
        <translation>“{name}”受密码保护。请输入密码打开它。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="74"/>
        <source>Passcode</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="74"/>
        <source>The profile&apos;s passcode</source>
        <translation>这个个人资料的密码</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="76"/>
        <source>Forgot it? Nobody can recover this profile&apos;s conversations without the passcode. The profile can still be erased with “carechat erase --profile”.</source>
        <translation>忘记了？没有密码，没有人能恢复这个个人资料的对话。仍然可以用“carechat erase --profile”删除这个个人资料。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="78"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="79"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="96"/>
        <source>That passcode is not right. Tries left before a wait: {n}.</source>
        <translation>密码不对。还可以再试 {n} 次，之后需要等待。</translation>
    </message>
    <message>
        <location filename="../../chatapp/ui/passcode_dialog.py" line="104"/>
        <source>Too many wrong passcodes. Try again in {seconds} seconds.</source>
        <translation>输错密码的次数太多。请在 {seconds} 秒后再试。</translation>
    </message>
</context>
</TS>
