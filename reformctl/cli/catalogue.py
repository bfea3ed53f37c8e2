"""The command line's own catalogue: the Chinese of every command's and option's help (by the
English text, as gettext's msgids), click's words, and its usage errors read from its English
messages. Only the CLI uses them (:mod:`reformctl.cli.helptext`); the messages every layer
words are in :mod:`reformctl.i18n`.
"""

from __future__ import annotations

# -- help: the interface in the clerk's language ---------------------------------------------------
# Commands' docstrings and options' help= are the English text (as gettext's msgids); here is their
# Chinese. A command's example is taken from its docstring (one example, one command line), so
# that the two languages never show different commands.
HELP_COMMANDS: dict[str, str] = {
    "": "改革工作要点台账工具：读写纳入 git 版本管理的台账文件 ledger.toml，"
    "算出哪些节点逾期、哪些即将到期，并按单位、专项小组或工作要点排出进度排名。\n\n"
    "查看某个命令的用法：reformctl help 命令，或 reformctl 命令 --help。",
    "help": "显示 reformctl 或某个命令的帮助。",
    "check": "校验台账（列出每个问题及其 文件:行:列），并标出逾期节点。\n\n"
    "退出码 0：台账有效且无逾期；1：有逾期节点（见 --fail-on）；2：台账无效。",
    "fmt": "把台账整理为规范格式（只动空白；注释和顺序保持不变）。",
    "diff": "两个 git 版本之间台账内容的变化，用台账的语言说明。",
    "history": "从 git 历史看进度变化：每次提交时的完成率与序时进度。",
    "review": "逐个提交列出起始版本到终止版本之间台账的每处变化、作者和提交者，以及是否在其职责范围内"
    "（单位成员：所牵头工作要点的完成情况、佐证和月度进展，所配合工作要点的月度进展；"
    "改革办成员：全部）。每个提交按其收到的台账核对（合并提交按每个合并基础三方核对），"
    "成员名单和工作要点的牵头单位一律同时以起始版本为准；起始版本到终止版本的每处净变化都须有范围内的提交负责。\n\n"
    "退出码 0：均在职责范围内；1：有变化超出作者、提交者或签名者的职责范围，或其不是任何单位的成员；"
    "2：未知版本、不在 git 仓库中、台账无效，或 --require-signed 缺少允许的签名者文件。",
    "init": "新建台账文件；已存在的文件不会被覆盖。",
    "done": "记录节点已完成，并附佐证材料。",
    "undone": "撤销误记的完成记录（删除完成日期和佐证）。",
    "extend": "批准延期：新的完成时限记在原定时限旁边，原定时限保留为基准。",
    "log": "为工作要点记录月度进展。",
    "close": "结项销号；尚有未完成节点时不予销号。",
    "reopen": "撤销误记的销号。",
    "edit": "更正工作要点或节点的字段；只改动给出的字段。",
    "rollover": "生成下一年度台账，结转每项未完成的工作要点及其未完成节点"
    "（carried_from 注明来源）。原台账不动。",
    "import": "从现有 Excel 台账建立或扩充台账：在任一工作表中找到表头，识别其中文表头"
    "（docs/import.md），跳过分组行、合计行和备注行。\n\n"
    "只有每一行都能识别时才写入（或加 --skip-bad）；无法识别的行连同行号和列列出。"
    "还没有台账时，import 新建 ledger.toml（年度取 --year 或完成时限）。",
    "export": "导出整本台账：Excel 台账（工作表：台账、单位、专项小组、月度进展）、CSV 或 JSON。",
    "list": "列出工作要点及其状态和完成进度。",
    "show": "显示一项工作要点的全部内容：字段、节点、延期记录、月度进展。",
    "overdue": "逾期节点，逾期最久的在前；加 --soon 时同时列出所给天数内到期的节点。",
    "progress": "进度排名表（比进度）：完成率与序时进度对比。",
    "git": "git 集成：按键比较和合并台账。",
    "git install": "设置本仓库：写入 .gitattributes 和 git 配置，使 git diff 用台账的语言显示变化、"
    "git merge 按键合并台账（以本安装的路径注册）；并安装 pre-merge-commit 钩子，git 提交合并前"
    "用台账规则检查合并结果（遵从 core.hooksPath；不是 reformctl 写的钩子一律不覆盖，拒绝安装）。",
    "git codeowners": "由台账生成 CODEOWNERS：工作区每个台账文件由其牵头单位成员和改革办成员审批，"
    "共享文件、reformctl.toml 和单一台账由改革办成员审批。没有成员的单位在标准错误中列出。",
    "git textconv": "把台账按“一行一个事实”输出（git 的 textconv：git diff 据此用台账的语言比较）。"
    "\n\n无法解析的文件原样输出。",
    "git merge-driver": "git 的合并驱动：按键合并两份台账。留有冲突时退出码为 1，冲突处已标出。"
    "由 reformctl git install 设置，git 调用它。",
    "unit": "单位（牵头单位和配合单位）：声明与列出。",
    "unit add": "声明一个单位，排在已声明单位之后。",
    "unit list": "已声明的单位，及各单位牵头的工作要点和节点数。",
    "group": "专项小组：声明与列出。",
    "group add": "声明一个专项小组及其牵头单位。",
    "group list": "各专项小组、牵头单位及其工作要点和节点数。",
    "point": "添加或删除工作要点。",
    "point add": "添加一项工作要点，按编号顺序排列。",
    "point remove": "删除误加的工作要点，连同其节点和月度进展。\n\n"
    "已有节点完成、已记月度进展或已销号的，不予删除，除非加 --force。",
    "milestone": "添加或删除节点。",
    "milestone add": "为工作要点添加节点，排在最后一个节点之后。",
    "milestone remove": "删除误加的节点（已完成的不予删除，除非加 --force）。",
    "topic": "议题储备库。",
    "topic add": "把议题放入储备库。",
    "topic list": "议题及其状态：储备、已排会、已审议。",
    "meeting": "深改委会议，一会一主题。",
    "meeting add": "记录一次深改委会议及其主题（一个议题至多作一次会议的主题）。",
    "meeting list": "按日期列出会议，已开和待开的。",
    "pilot": "基层创新项目滚动库。",
    "pilot add": "把项目加入基层创新项目滚动库。",
    "pilot review": "记录定期评估；评为“退出”的项目离开在库名单（历史保留）。",
    "pilot list": "项目及其状态，到期待评估的在前。",
    "case": "典型案例与复制推广。",
    "case add": "记录从试点或工作要点提炼的典型案例。",
    "case promote": "记录案例在某处刊发或被复制推广。",
    "case list": "按季度列出典型案例，及其入选和推广情况。",
    "outpost": "前哨站、侦察岗及其反馈。",
    "outpost add": "登记前哨站或侦察岗：一个县（市、区）或一家企业。",
    "outpost list": "前哨站及各自报送的反馈条数。",
    "feedback": "前哨站的反馈。",
    "feedback add": "记录前哨站的反馈，可关联到工作要点（show 工作要点 时列出）。",
    "feedback list": "按日期列出前哨站的反馈。",
    "notice": "督办通知：按牵头单位和颜色各出一份——红色督办逾期节点，黄色督办滞后序时进度的工作要点，"
    "蓝色提醒即将到期的节点；文号取台账的 office_code（如 闽改办督〔2026〕N号）。"
    "--record 将通知记入台账，文号不再重复使用，同一节点再次发通知时注明“再次督办”。"
    "本办自身的单位不发通知，除非加 --include-office（或 --unit 指明该单位）。",
    "publicity": "改革宣传登记簿：新闻发布、专题访谈、专栏、报道、微信公众号推文。",
    "publicity add": "登记一篇改革宣传：媒体或平台、层级、形式、日期、标题，可关联工作要点或典型案例。",
    "publicity list": "按日期列出改革宣传登记簿。",
    "report": "办公室的文稿：半年通报、年终总账、季度盘点。",
    "report half": "半年通报：总体情况、按牵头单位和专项小组的进度排名、逾期节点、延期情况、"
    "已销号工作要点。按半年末的台账计算。",
    "report year": "年终总账：每项工作要点销号与否、结转事项、各单位账目、年度排名。",
    "report quarter": "重大改革事项季度盘点：本季度节点、月度进展有无（缺月即为问题）、状态。",
    "workspace": "工作区：多个台账文件（各专项小组、各市县）作为一本台账读写。",
    "workspace split": (
        "把台账拆分为工作区：reformctl.toml、shared.toml（设置、单位、专项小组、办公室登记簿）"
        "和每个专项小组（groups/代码.toml）或每个市县（cities/市县.toml）一个台账文件。"
        "注释随表移动；拆分结果与原台账的事实完全一致才写入。"
    ),
    "workspace join": "把工作区合并回一个台账文件，保留全部注释；合并结果与工作区的事实完全一致才写入。",
}

HELP_OPTIONS: dict[str, str] = {
    "group (专项小组, the default) | city (市县)": "专项小组（默认）| 市县",
    "Keep ledger.toml (it is removed by default).": "保留 ledger.toml（默认拆分后删除）。",
    "Default: ledger.toml beside reformctl.toml.": "默认：reformctl.toml 旁的 ledger.toml。",
    "Keep the workspace's files (removed by default).": "保留工作区的文件（默认合并后删除）。",
    "In a workspace: only the points of this file (a group's or a city's circular).": (
        "工作区中：只含该文件的工作要点（某专项小组或某市县自己的通报）。"
    ),
    "With --template: the unit whose return form this is.": "与 --template 同用：填报单位。",
    "A unit's return form (填报表) to fill in and import.": "导出单位填报表，填好后再导入。",
    "Apply what changed in an exported or edited 台账 (one write).": (
        "把导出后在 Excel 中修改过的台账写回（一次写入）。"
    ),
    "A unit's return: refuse rows of points it does not lead.": (
        "单位填报表：拒绝不由该单位牵头的工作要点所在行。"
    ),
    (
        "Number the .docx from the office's circular register (CODE〔YEAR〕N号) and record "
        "it in the ledger; without it the number is left blank. Each run is a new number."
    ): "从办公室的通报登记簿取下一个文号（代字〔年份〕序号）印在 .docx 上并记入台账；不加此项文号留空。每运行一次即一份新文件、一个新文号。",
    # notice and publicity
    "Folder for the notices.": "通知存放的文件夹。",
    "Only to this unit (key or name; repeatable).": "只发给该单位（代码或名称，可重复）。",
    "red: overdue; yellow: behind; blue: due soon; all (the default).": (
        "红色：逾期；黄色：滞后序时进度；蓝色：即将到期；全部（默认）。"
    ),
    "docx for sending; md or txt for OA.": "docx 供正式印发；md 或 txt 供粘贴到 OA 系统。",
    "Record the notices in the ledger (numbers used).": "将通知记入台账（文号即被占用）。",
    "The outlet, e.g. 人民日报.": "媒体或平台，如 人民日报。",
    "national | provincial | local | own": "中央媒体 | 省级媒体 | 市县媒体 | 自有平台",
    "release | interview | column | article | wechat": "新闻发布 | 专题访谈 | 专栏 | 报道 | 微信公众号",
    "The work point or model case it is about.": "所关联的工作要点或典型案例。",
    # global options
    "The ledger file, as the global --ledger (for hooks that put it after the command).": (
        "台账文件，同全局选项 --ledger（供把它写在命令之后的钩子使用）。"
    ),
    "The ledger file (default: the nearest ledger.toml here or above).": (
        "台账文件（默认：当前目录或上级目录中最近的 ledger.toml）。"
    ),
    "The day to judge against (default: today in the ledger's timezone).": (
        "按哪一天判断（默认：台账时区的今天）。"
    ),
    "Language of reports and messages (default: the ledger's, then LANG).": (
        "界面、报告和提示的语言（默认：台账的设置，其次 LANG）。"
    ),
    "auto (on a terminal, unless NO_COLOR; FORCE_COLOR forces) | always | never.": (
        "颜色：auto（在终端上显示，NO_COLOR 关闭，FORCE_COLOR 强制）| always | never。"
    ),
    "Never page (default: long output on a terminal goes to $PAGER).": (
        "不分页（默认：终端上超过一屏的输出交给 $PAGER）。"
    ),
    "Show tracebacks.": "出错时显示调用栈。",
    "Install completion for the current shell.": "为当前使用的命令行（bash、zsh 或 fish）安装命令补全。",
    "Show completion for the current shell, to copy it or customize the installation.": (
        "显示当前命令行（bash、zsh 或 fish）的补全脚本，可复制或自行安装。"
    ),
    "Install completion for the specified shell.": "为指定的 shell 安装命令补全。",
    "Show completion for the specified shell, to copy it or customize the installation.": (
        "显示指定 shell 的补全脚本，可复制或自行安装。"
    ),
    "Show the version.": "显示版本。",
    # read commands
    "table (colour, on a terminal) | plain (when piped) | markdown | csv | json": (
        "table（终端上，带颜色）| plain（管道输出时）| markdown | csv | json"
    ),
    "table | plain | markdown | csv | json": "table | plain | markdown | csv | json",
    "Only points this unit (key or name) leads or co-operates on.": (
        "只列该单位（代码或名称）牵头或配合的工作要点。"
    ),
    "Only points of this group (key or name).": "只列该专项小组（代码或名称）的工作要点。",
    "not_started | ahead | on_track | behind | overdue | done | closed": (
        "未开始 | 超进度 | 达进度 | 欠进度 | 逾期 | 已完成 | 已销号"
    ),
    "Only major reform items (重大改革事项).": "只列重大改革事项。",
    "The work point's ID, e.g. R26-01.": "工作要点编号，例如 R26-01。",
    "Also list milestones due within DAYS days.": "同时列出所给天数内到期的节点。",
    "Count lateness in Chinese working days (with 调休).": "按工作日（含调休）计算逾期天数。",
    "unit (lead units, the default) | group | point | coop (co-operating units)": (
        "牵头单位（默认）| 专项小组 | 工作要点 | 配合单位"
    ),
    # check, fmt, git
    "text | json | github | gitlab | junit | sarif": "text | json | github | gitlab | junit | sarif",
    "text | json | github | gitlab | sarif": "text | json | github | gitlab | sarif",
    "The revision the changes start from.": "变化的起点版本。",
    "GitLab's form: a [台账] section.": "GitLab 格式：带 [台账] 分节。",
    "Default: CODEOWNERS at the repository root (.github/ or .gitlab/ if there); - for stdout.": (
        "默认写到仓库根目录的 CODEOWNERS（有 .github/ 或 .gitlab/ 目录时写在其中）；- 表示标准输出。"
    ),
    "The last revision reviewed. Default: HEAD.": "审查到的最后一个版本，默认 HEAD。",
    "Whose remit each change must lie in: the commit's author, its committer, or both (a "
    "committer named in [ledger] platform_committers: the author alone).": (
        "每处变化须在谁的职责范围内：作者、提交者，或两者（默认）；"
        "[ledger] platform_committers 所列平台账号提交的，只核对作者。"
    ),
    "Every commit that changes the ledger must pass `git verify-commit` against the allowed "
    "signers file [ledger] allowed_signers names (at BASE), and its key must belong to a member "
    "entitled to the change.": (
        "每个改动台账的提交都须通过 git verify-commit 核验（按起始版本中 [ledger] allowed_signers "
        "指明的允许签名者文件），且签名密钥须属于有权作此变化的成员。"
    ),
    "Exit 1 on: overdue (default) | due-soon | never.": (
        "何时以退出码 1 结束：逾期（有逾期节点，默认）| 即将到期（有即将到期的节点）| 从不"
    ),
    "Due-soon window (default: the ledger's soon_days).": "“即将到期”的天数（默认：台账的 soon_days）。",
    "Overdue by at most DAYS only warns.": "逾期不超过所给天数的只作提示。",
    "Only report; exit 1 if the file is not canonical.": "只检查；不是规范格式时退出码为 1。",
    "Default: HEAD.": "默认：HEAD。",
    "Default: the working tree.": "默认：工作区。",
    "text | markdown | json": "text | markdown | json",
    "office (the default) | unit | group": "全省（默认）| 单位 | 专项小组",
    "The unit or group, key or name (with --by).": "单位或专项小组的代码或名称（配合 --by）。",
    "commit (the default) | month (the last commit of each month)": (
        "每次提交（默认）| 每月（每月最后一次提交）"
    ),
    "A ledger file (git passes a copy).": "台账文件（由 git 传入副本）。",
    "%O: the common ancestor's version.": "%O：共同祖先版本。",
    "%A: ours; the result is written here.": "%A：我方版本；合并结果写在这里。",
    "%B: theirs.": "%B：对方版本。",
    "%P: the ledger's path in the repository.": "%P：台账在仓库中的路径。",
    "%X: what conflict markers call ours.": "%X：冲突标记中本方的名称（git 2.44 起传入分支名）。",
    "%S: what they call the base.": "%S：冲突标记中共同祖先的名称。",
    "Do not install the pre-merge-commit hook.": "不安装 pre-merge-commit 钩子。",
    "Check the ledgers these files belong to (others, such as pyproject.toml, are ignored): "
    "what pre-commit passes.": "检查这些文件所属的台账或工作区（其他文件如 pyproject.toml 忽略）："
    "供 pre-commit 传入文件名。",
    "Format the ledgers these files belong to (others, such as pyproject.toml, are ignored): "
    "what pre-commit passes.": "整理这些文件所属的台账或工作区（其他文件如 pyproject.toml 忽略）："
    "供 pre-commit 传入文件名。",
    "%Y: what they call theirs.": "%Y：冲突标记中对方的名称。",
    # init
    "The ledger's year (default: this year).": "台账年度（默认：今年）。",
    "Default: 〈year〉年全面深化改革工作要点台账.": "默认：〈年度〉年全面深化改革工作要点台账。",
    "IANA timezone of the office.": "办公室所在的 IANA 时区。",
    # writes
    "Milestone, e.g. R26-01/plan.": "节点，例如 R26-01/plan。",
    "Default: today.": "默认：今天。",
    "Document number, e.g. 闽政〔2026〕12号.": "佐证文号，例如 闽政〔2026〕12号。",
    "The new due date.": "新的完成时限。",
    "Why (申请延期理由).": "申请延期理由。",
    "The approving unit (key or name).": "批准单位（代码或名称）。",
    "The day the extension was approved. Default: today.": "批准延期的日期，默认今天。",
    "Work point ID, e.g. R26-01.": "工作要点编号，例如 R26-01。",
    "This month's progress (月度进展).": "本月进展。",
    "Default: this month.": "默认：本月。",
    "Replace the month's entry.": "替换该月已有的进展。",
    "The evidence for 销号.": "销号佐证。",
    "A point or a milestone.": "工作要点或节点。",
    "Co-operating units (replace them all).": "配合单位（整体替换）。",
    "No co-operating units.": "不设配合单位。",
    "Milestone name.": "节点名称。",
    "Milestone baseline due date.": "节点原定完成时限。",
    "Short key, e.g. fgw.": "简短代码，例如 fgw。",
    "Full name, e.g. 省发改委.": "全称，例如 省发改委。",
    "Short key, e.g. economy.": "简短代码，例如 economy。",
    "Full name of the group.": "专项小组全称。",
    "The group's lead unit (key or name).": "专项小组的牵头单位（代码或名称）。",
    "The work point (工作要点).": "工作要点名称。",
    "Its group (key or name).": "所属专项小组（代码或名称）。",
    "Lead unit, 牵头单位 (key or name).": "牵头单位（代码或名称）。",
    "A co-operating unit; repeat for more.": "配合单位；可重复给出多个。",
    "Implementation path (实施路径).": "实施路径。",
    "Outcome form (成果形式).": "成果形式。",
    "A major reform item (重大改革事项).": "列为重大改革事项。",
    "Also when facts are recorded on it.": "即使已记录事实也删除。",
    "What is to be done by the date.": "到期应完成的事项。",
    "Due date (完成时限).": "完成时限。",
    # office
    "Next year.": "下一年度。",
    "Default: ledger-YEAR.toml beside the ledger.": "默认：台账旁的 ledger-年度.toml。",
    "Overwrite the --out file if it exists.": "--out 文件已存在时覆盖它。",
    "A 台账 or 分工方案 (.xlsx, .xlsm, .xls, .ods, .csv, .docx).": "台账或分工方案（.xlsx、.xlsm、.xls、.ods、.csv、.docx）。",
    "Show what would be added; write nothing.": "只显示将导入的内容，不写入。",
    "Import the readable rows, leave the rest out.": "导入能识别的行，跳过其余行。",
    "A first import: the ledger's year.": "首次导入：台账年度。",
    "A first import: the office.": "首次导入：改革办名称。",
    "A first import: 发文机关代字.": "首次导入：发文机关代字。",
    "A first import: the office's unit.": "首次导入：改革办自身的单位。",
    "The group for rows without a 专项小组 column.": "没有“专项小组”列时各行所属的专项小组。",
    "xlsx | csv | json": "xlsx | csv | json",
    "Default: ledger-YEAR.FORMAT; - for standard output.": (
        "默认：ledger-年度.格式；- 表示输出到标准输出。"
    ),
    # mechanisms
    "e.g. a county's proposal (基层议改革).": "例如某县（市、区）的建议（基层议改革）。",
    "The agenda topic it takes as its one theme.": "作为本次会议唯一主题的议题。",
    "一市一试点 | 一县一特色 | 县域集成改革 | 重点领域集成改革": (
        "一市一试点 | 一县一特色 | 县域集成改革 | 重点领域集成改革"
    ),
    "The responsible unit (a unit key).": "承担试点的单位（代码或名称）。",
    "Default 6.": "默认 6。",
    "优秀 | 良好 | 一般 | 退出": "优秀 | 良好 | 一般 | 退出",
    "The pilot or work point it was drawn from.": "案例来源：基层创新项目或工作要点。",
    "十佳案例, 改革品牌, 试点典型...; repeat for more.": "十佳案例、改革品牌、试点典型……；可重复给出多个。",
    "Where: a bulletin issue, a city that adopted it.": "推广到何处：某期刊物、采用它的某个市。",
    "county | enterprise": "县（市、区）| 企业",
    "What the outpost reported.": "前哨站反映的情况。",
    "The work point it is about.": "相关的工作要点。",
    # reports
    "Default: the current one.": "默认：当前这一期。",
    "Default: the ledger's year.": "默认：台账年度。",
    "Write to FILE: .docx .md .html .xlsx .csv .json (default, or -: the terminal).": (
        "写入文件：.docx .md .html .xlsx .csv .json（默认或 -：输出到终端）。"
    ),
    # help
    "A command, e.g. list or unit add.": "命令，例如 list 或 unit add。",
    "Say on stderr what is left out quietly (a cache folder that is not used).": (
        "在标准错误输出中说明被悄悄略过的事（例如不予使用的缓存目录）。"
    ),
}

# Click's own words (usage, sections, errors), in the interface language.
CLICK_WORDS: dict[str, tuple[str, str]] = {
    "usage": ("用法：", "Usage:"),
    "Arguments": ("参数", "Arguments"),
    "Options": ("选项", "Options"),
    "Commands": ("命令", "Commands"),
    "Example": ("示例", "Example"),
    "Show this message and exit.": ("显示此帮助并退出。", "Show this message and exit."),
    "required": ("必填", "required"),
    "default": ("默认", "default"),
    "env var": ("环境变量", "env var"),
}

# The words of usage lines and option terms: click's type names (``<str>``), the metavars
# reformctl chose (``DATE``, ``POINT/MS``) and the names of arguments without one (``{key}``).
CLICK_TYPES: dict[str, str] = {
    "str": "文本",
    "text": "文本",
    "int": "整数",
    "int range": "整数",
    "integer": "整数",
    "float": "数字",
    "float range": "数字",
    "path": "路径",
    "file": "文件",
    "directory": "文件夹",
    "boolean": "是或否",
}
CLICK_METAVARS: dict[str, str] = {
    "OPTIONS": "选项",
    "COMMAND": "命令",
    "ARGS": "参数",
    "DATE": "日期",
    "DAYS": "天数",
    "DIR": "文件夹",
    "FILE": "文件",
    "ID": "编号",
    "MONTH": "月份",
    "MONTHS": "月数",
    "PATH": "路径",
    "POINT": "工作要点编号",
    "MS": "节点编号",
    "REV_A": "起始版本",
    "REV_B": "终止版本",
    "YYYY-Qn": "季度",
    # arguments named by their parameter (usage lines, the Arguments section, usage errors)
    "base": "起始版本",
    "head": "终止版本",
    "command": "命令",
    "file": "文件",
    "key": "代码",
    "name": "名称",
    "ours": "我方版本",
    "theirs": "对方版本",
    "path": "路径",
    "point": "工作要点编号",
    "text": "内容",
}

# Click's usage errors: (English pattern, Chinese template); groups are kept as they are.
CLICK_ERRORS: list[tuple[str, str]] = [
    (r"Missing option (.+)\.", "缺少选项 {0}"),
    (r"Missing argument (.+)\.", "缺少参数 {0}"),
    (r"Missing parameter: (.+)", "缺少参数 {0}"),
    (r"No such option: (\S+) \(Possible options: (.+)\)", "没有选项 {0}（是否应为 {1}？）"),
    (r"No such option: (\S+)", "没有选项 {0}"),
    (r"No such command (.+)\.", "没有命令 {0}"),
    (r"Missing command\.", "缺少命令"),
    (r"Got unexpected extra arguments? \((.+)\)", "多余的参数：{0}"),
    (r"Got unexpected extra argument\(s\) \((.+)\)", "多余的参数：{0}"),
    (r"Option (.+) requires an argument\.", "选项 {0} 需要一个值"),
    (r"Option (.+) requires (\d+) arguments\.", "选项 {0} 需要 {1} 个值"),
    (r"Option (.+) does not take a value\.", "选项 {0} 不接受值"),
    (r"Invalid value for (.+?): (.+)", "{0} 的值无效：{1}"),
    (r"Invalid value: (.+)", "值无效：{0}"),
    (r"Input should be a valid integer.*", "应为整数"),
    (r"Input should be greater than or equal to (\S+)", "应大于或等于 {0}"),
    (r"Input should be less than or equal to (\S+)", "应小于或等于 {0}"),
    (r"Input should be greater than (\S+)", "应大于 {0}"),
    (r"Value error, (.+) is not one of (.+)\.", "{0} 不是可选值（{1}）之一"),
    (r"(.+) is not one of (.+)\.", "{0} 不是可选值（{1}）之一"),
    (r"zh or en", "应为 zh 或 en"),
    # typer 0.28's click (0.29 said the same through pydantic, above)
    (r"'.*' is not a valid (?:integer|int|int range)\.", "应为整数"),
    (r"'.*' is not a valid (?:float|float range)\.", "应为数字"),
    (r"\S+ is not in the range (-?[\d.]+)<=?x<=?(-?[\d.]+)\.", "应在 {0} 到 {1} 之间"),
    (r"\S+ is not in the range x>=(\S+)\.", "应大于或等于 {0}"),
    (r"\S+ is not in the range x>(\S+)\.", "应大于 {0}"),
    (r"\S+ is not in the range x<=(\S+)\.", "应小于或等于 {0}"),
    (r"'.*' is not a valid boolean\..*", "应为 true 或 false"),
    (r"(.+)\. Did you mean (.+)\?", "{0}（是否应为 {1}？）"),
]


# -- remind (issue 27)
HELP_COMMANDS.update(
    {
        "remind": "向各牵头单位发送一份提醒：逾期节点（逾期最久的在前，注明逾期天数）和即将到期的节点，"
        "经其 [units.KEY.remind] 配置的钉钉、企业微信、飞书机器人和邮件发送。每个单位每个渠道每天只发一次"
        "（--again 重发）。全部发出退出码 0，有发送失败为 1（并列出），输入有误为 2。",
    }
)
HELP_OPTIONS.update(
    {
        "Milestones due within DAYS days too (default: the ledger's soon_days).": "同时提醒所给天数内到期的节点（默认取台账的 soon_days）。",
        "Only by this channel (repeatable).": "只经该渠道发送（可重复）。",
        "Print what would be sent, secrets masked; send nothing.": "只打印将发送的内容（密钥已遮盖），不发送。",
        "Send even what was already sent today.": "今天已发送过的也再发一次。",
        "Where what was sent is recorded (default: under $XDG_STATE_HOME/reformctl).": "发送记录文件（默认在 $XDG_STATE_HOME/reformctl 下）。",
        "Also send the office the whole picture.": "同时向办公室发送全省汇总。",
    }
)

# -- the static site (`site`)
HELP_COMMANDS["site"] = (
    "把台账生成为只读的静态网站（总览、各单位、各专项小组、各工作要点、工作机制），"
    "含较上月末的排名变化和 git 历史中每项记录的留痕时间线。入口是 DIR/index.html。"
)
HELP_OPTIONS["The folder to write the site to."] = "生成网站的文件夹。"

# -- the office's identity and its documents (issue 24)
HELP_COMMANDS.update(
    {
        "init": "新建台账文件；已存在的文件不会被覆盖。在终端上运行时询问发文机关（名称、代字、本办单位）。",
        "office": "本办的发文机关信息：公文的版头、发文字号、落款和版记。",
        "office set": "设置发文机关信息（名称、代字、本办单位、抄送、印发机关）；只改动给出的项。",
    }
)
HELP_OPTIONS.update(
    {
        "The office's full name (发文机关), e.g. 福建省委全面深化改革委员会办公室.": (
            "发文机关全称，如 福建省委全面深化改革委员会办公室。"
        ),
        "发文机关代字, e.g. 闽改办: documents are numbered 闽改办〔2026〕N号.": (
            "发文机关代字，如 闽改办：公文编号为 闽改办〔2026〕N号。"
        ),
        "The office's own unit (declared, named as the office, if new).": (
            "本办自身的单位（未登记的，以发文机关名称登记）。"
        ),
        "抄送: the copy line of every document's 版记.": "抄送：各公文版记中的抄送机关。",
        "Also to the office's own unit (office_unit).": "也向本办自身的单位发送。",
        "印发机关 in the 版记 (default: the office).": "版记中的印发机关（默认：发文机关）。",
    }
)

# -- the quarterly case booklet (issue 24 item 5)
HELP_COMMANDS["case booklet"] = (
    "按季度印发典型案例汇编：封面、目录，按主题分组，每个案例一节，列出主要做法、改革路径（分步编号）、"
    "推广价值点评和入选、刊发、复制推广情况。.docx 需先设置发文机关（reformctl office set）。"
)
HELP_OPTIONS.update(
    {
        "The booklet: .docx, .md or .txt.": "汇编文件：.docx、.md 或 .txt。",
        "做法: what was done.": "主要做法。",
        "路径: one step of the path, in order; repeat for more.": "改革路径的一步，按顺序；可重复。",
        "推广价值点评: why it is worth copying.": "推广价值点评。",
    }
)
