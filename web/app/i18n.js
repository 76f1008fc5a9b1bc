// Interface language (zh-CN by default, English by choice) and times in the
// user's own time zone. The choice is the user's `language` when the server
// has one, else this browser's.
import { currentUser } from "./api.js";

const KEY = "fieldline.language";
export const LANGUAGES = { "zh-CN": "中文", en: "English" };

const STRINGS = {
  "zh-CN": {
    app: "Fieldline 外勤", signIn: "登录", login: "账号", password: "密码", signOut: "退出登录", newPassword: "新密码", currentPassword: "当前密码（管理员给的）", firstPassword: "请设置你自己的密码", firstPasswordHelp: "管理员为你设置了初始密码；首次登录须先改成只有你知道的密码（至少 10 位）。",
    feed: "工作圈", chat: "聊天", customers: "客户", tasks: "任务", more: "更多", notifications: "消息",
    visit: "拜访签到", card: "名片扫描", report: "日报", team: "团队", map: "团队地图", users: "用户",
    departments: "部门", quotas: "日目标", quotaDefault: "默认（服务器设置）", quotasHelp: "部门的值优先于上级部门，再优先于角色，最后是默认值；留空即沿用。", settings: "设置", announcements: "公告", agenda: "日程", reminders: "提醒",
    language: "语言", offline: "离线，正在重连…", online: "在线",
    following: "关注", public: "公开", mine: "我的", scopeTeam: "团队",
    postPlaceholder: "分享工作进展，@ 提到同事…", file: "文件", post: "发布", like: "赞", comment: "评论", comments: "评论",
    send: "发送", messagePlaceholder: "输入消息…", typing: "{name} 正在输入…", newChat: "发起聊天",
    noConversations: "还没有聊天", pickColleague: "选择同事", groupTitle: "群名称", createGroup: "建群",
    departmentChat: "部门群",
    search: "搜索", searchCustomers: "搜索客户名称、电话、联系人", newCustomer: "新建客户", pool: "公海",
    shared: "共享", all: "全部", name: "名称", phone: "电话", fax: "传真", address: "地址", industry: "行业",
    level: "级别", source: "来源", tags: "标签", save: "保存", cancel: "取消", claim: "领取", release: "退回公海",
    releaseReason: "退回原因", duplicatesFound: "撞单提醒：已有相似客户", noDuplicates: "未发现撞单",
    checking: "正在查重…", matchedOn: "匹配：{on}", owner: "负责人", inPool: "在公海",
    contacts: "联系人", opportunities: "商机", activities: "跟进记录", history: "历史", noItems: "暂无",
    addActivity: "写跟进", content: "内容", kind: "类型", reached: "有效联系", nextContact: "下次联系",
    scanCard: "拍名片或选择图片", scanning: "正在识别名片…", reviewCard: "核对识别结果",
    confidence: "置信度", saveContact: "保存为联系人", title: "职务", company: "公司", mobile: "手机", email: "邮箱",
    website: "网站", phones: "电话", cardFailed: "名片识别失败", existingCustomer: "关联已有客户",
    checkIn: "签到", checkOut: "签退", locating: "正在定位…", locationFailed: "无法定位：{error}",
    customer: "客户", chooseCustomer: "选择客户", note: "备注", photo: "照片", distance: "距离 {m} 米",
    withinGeofence: "在范围内", flags: "疑点", checkedIn: "已签到", checkedOut: "已签退，用时 {min} 分钟",
    myTasks: "我的任务", newTask: "新建任务", dueAt: "截止", remindAt: "提醒时间", notes: "说明", assignee: "负责人",
    accept: "接受", reject: "拒绝", complete: "完成", reopen: "重新打开", snooze: "稍后提醒", snoozeMinutes: "{n} 分钟后",
    status_pending: "待接受", status_open: "进行中", status_done: "已完成", status_rejected: "已拒绝", status_cancelled: "已取消",
    date: "日期", summary: "今日总结", plan: "明日计划", problems: "问题", submit: "提交", figures: "今日数据",
    submitted: "已提交", late: "迟交", missingReports: "未交日报", reportsOf: "{date} 的日报",
    fig_checkins: "签到", fig_activities: "跟进", fig_effective_contacts: "有效联系", fig_new_customers: "新客户",
    fig_new_key_customers: "新重点客户",
    markAllRead: "全部已读", unread: "未读", leaderboard: "排行榜", funnel: "销售漏斗", quota: "日目标进度",
    wonAmount: "赢单金额", pipeline: "在谈金额", effectiveContacts: "有效联系", checkins: "签到",
    count: "数量", amount: "金额", won: "赢单", lost: "丢单", rank: "名次",
    mapFallback: "地图图块无法加载，以下为签到位置列表", noCheckins: "今天还没有签到",
    newAnnouncement: "发布公告", body: "正文", department: "部门", role: "角色", newUser: "新建用户",
    newDepartment: "新建部门", parent: "上级部门", timezone: "时区", locked: "已锁定", unlock: "解锁",
    loading: "加载中…", retry: "重试", error: "出错了", notFound: "没有找到", back: "返回", open: "打开",
    deepLinkUnknown: "无法打开此链接", mentions: "提到了你", colleagues: "同事", justNow: "刚刚",
    role_admin: "管理员", role_manager: "经理", role_rep: "销售代表", signedInAs: "当前用户：{name}",
    installHint: "可以“添加到主屏幕”，像应用一样使用",
    pushTitle: "本设备的通知", pushOn: "开启通知", pushOff: "关闭通知", pushEnabled: "已开启：应用关闭时提醒和@也会出现在锁屏上",
    pushDisabled: "未开启", pushUnsupported: "此浏览器不支持推送通知", pushDenied: "通知被浏览器禁止，请在浏览器设置中允许",
    leadStatus: "线索状态", followUpBy: "跟进期限", ls_new: "新", ls_following: "跟进中", ls_converted: "已转客户", ls_dropped: "已放弃", lh_created: "创建", lh_updated: "修改", lh_status: "状态", lh_assigned: "转交", lh_converted: "转为客户", lh_deleted: "删除",
    h_created: "创建", h_released: "退回公海", h_claimed: "领取", h_transferred: "转移", h_shared: "共享", h_deleted: "删除",
    kind_post: "动态", kind_checkin: "签到", kind_activity: "跟进", kind_opportunity: "商机", kind_daily_report: "日报", kind_announcement: "公告",
    department: "部门", private: "私密", nameField: "名称", headline: "标题",
    province: "省份", city: "城市", stage: "阶段", expectedClose: "预计成交", opportunity: "商机", stage_lead: "线索", stage_qualified: "已确认", stage_proposal: "方案", stage_negotiation: "谈判",
    approvals: "审批", contracts: "合同", expenses: "费用报销",
    ap_waiting: "待我审批", ap_mine: "我提交的", ap_approve: "同意", ap_reject: "驳回", ap_return: "退回修改", ap_withdraw: "撤回",
    ap_submit: "提交审批", ap_comment_or_reason: "意见（驳回、退回时必填）", ap_open_record: "查看单据", ap_locked: "审批中，已锁定",
    ap_pending: "审批中", ap_approved: "已通过", ap_rejected: "已驳回", ap_returned: "已退回", ap_withdrawn: "已撤回",
    ap_step_waiting: "未开始", ap_step_pending: "待审批", ap_step_approved: "同意", ap_step_rejected: "驳回", ap_step_returned: "退回", ap_step_cancelled: "取消",
    ap_did_submitted: "提交", ap_did_approved: "同意", ap_did_rejected: "驳回", ap_did_returned: "退回", ap_did_withdrawn: "撤回", ap_did_commented: "评论", ap_did_forwarded: "转交",
    ap_kind_contract: "合同审批", ap_kind_discount: "折扣审批", ap_kind_expense: "费用报销", ap_kind_leave: "请假", ap_kind_custom: "审批",
    ct_new: "新建合同", ct_draft: "草稿", ct_reviewing: "审批中", ct_active: "已生效", ct_completed: "已完成", ct_terminated: "已终止",
    ct_collected: "已回款", ct_outstanding: "未回款", ct_record_payment: "登记回款", ct_payments: "回款记录",
    ex_new: "新建报销", ex_title: "事由", ex_draft: "草稿", ex_reviewing: "审批中", ex_approved: "已通过", ex_receipts: "票据", ex_add_line: "添加一行",
    ex_cat_travel: "差旅", ex_cat_lodging: "住宿", ex_cat_meals: "餐费", ex_cat_transport: "交通", ex_cat_entertainment: "招待", ex_cat_gifts: "礼品",
    ex_cat_office: "办公", ex_cat_communication: "通讯", ex_cat_other: "其他",
  },
  en: {
    app: "Fieldline", signIn: "Sign in", login: "Login", password: "Password", signOut: "Sign out", newPassword: "New password", currentPassword: "Current password (the one you were given)", firstPassword: "Choose your own password", firstPasswordHelp: "An administrator set your first password; choose one only you know (at least 10 characters) before you go on.",
    feed: "Feed", chat: "Chat", customers: "Customers", tasks: "Tasks", more: "More", notifications: "Inbox",
    visit: "Check in", card: "Scan card", report: "Daily report", team: "Team", map: "Team map", users: "Users",
    departments: "Departments", quotas: "Quotas", quotaDefault: "Default (server setting)", quotasHelp: "A department's value wins over the department above it, then the role, then the default; leave empty to inherit.", settings: "Settings", announcements: "Announcements", agenda: "Agenda", reminders: "Reminders",
    language: "Language", offline: "Offline, reconnecting…", online: "Online",
    following: "Following", public: "Public", mine: "Mine", scopeTeam: "Team",
    postPlaceholder: "Share progress, @ to mention a colleague…", file: "File", post: "Post", like: "Like", comment: "Comment", comments: "Comments",
    send: "Send", messagePlaceholder: "Type a message…", typing: "{name} is typing…", newChat: "New chat",
    noConversations: "No chats yet", pickColleague: "Pick a colleague", groupTitle: "Group name", createGroup: "New group",
    departmentChat: "Department chat",
    search: "Search", searchCustomers: "Search name, phone, contact", newCustomer: "New customer", pool: "Pool",
    shared: "Shared", all: "All", name: "Name", phone: "Phone", fax: "Fax", address: "Address", industry: "Industry",
    level: "Level", source: "Source", tags: "Tags", save: "Save", cancel: "Cancel", claim: "Claim", release: "Release to pool",
    releaseReason: "Reason", duplicatesFound: "Possible duplicate: similar customers exist", noDuplicates: "No duplicates found",
    checking: "Checking for duplicates…", matchedOn: "matched on {on}", owner: "Owner", inPool: "in the pool",
    contacts: "Contacts", opportunities: "Opportunities", activities: "Activities", history: "History", noItems: "Nothing yet",
    addActivity: "Add follow-up", content: "Content", kind: "Kind", reached: "Reached", nextContact: "Next contact",
    scanCard: "Take a photo of a card or pick an image", scanning: "Reading the card…", reviewCard: "Review the fields",
    confidence: "confidence", saveContact: "Save contact", title: "Title", company: "Company", mobile: "Mobile", email: "Email",
    website: "Website", phones: "Phones", cardFailed: "The card could not be read", existingCustomer: "Attach to customer",
    checkIn: "Check in", checkOut: "Check out", locating: "Locating…", locationFailed: "No location: {error}",
    customer: "Customer", chooseCustomer: "Choose a customer", note: "Note", photo: "Photo", distance: "{m} m away",
    withinGeofence: "within the geofence", flags: "Flags", checkedIn: "Checked in", checkedOut: "Checked out after {min} min",
    myTasks: "My tasks", newTask: "New task", dueAt: "Due", remindAt: "Remind at", notes: "Notes", assignee: "Assignee",
    accept: "Accept", reject: "Reject", complete: "Complete", reopen: "Reopen", snooze: "Snooze", snoozeMinutes: "in {n} min",
    status_pending: "Pending", status_open: "Open", status_done: "Done", status_rejected: "Rejected", status_cancelled: "Cancelled",
    date: "Date", summary: "Summary", plan: "Plan", problems: "Problems", submit: "Submit", figures: "Today's figures",
    submitted: "Submitted", late: "late", missingReports: "No report yet", reportsOf: "Reports of {date}",
    fig_checkins: "Check-ins", fig_activities: "Activities", fig_effective_contacts: "Effective contacts", fig_new_customers: "New customers",
    fig_new_key_customers: "New key customers",
    markAllRead: "Mark all read", unread: "unread", leaderboard: "Leaderboard", funnel: "Funnel", quota: "Daily quota",
    wonAmount: "Won", pipeline: "Pipeline", effectiveContacts: "Effective contacts", checkins: "Check-ins",
    count: "Count", amount: "Amount", won: "Won", lost: "Lost", rank: "#",
    mapFallback: "Map tiles could not load; the check-ins are listed below", noCheckins: "No check-ins today",
    newAnnouncement: "New announcement", body: "Body", department: "Department", role: "Role", newUser: "New user",
    newDepartment: "New department", parent: "Parent", timezone: "Time zone", locked: "locked", unlock: "Unlock",
    loading: "Loading…", retry: "Retry", error: "Something went wrong", notFound: "Not found", back: "Back", open: "Open",
    deepLinkUnknown: "This link cannot be opened", mentions: "mentioned you", colleagues: "Colleagues", justNow: "just now",
    role_admin: "Admin", role_manager: "Manager", role_rep: "Rep", signedInAs: "Signed in as {name}",
    installHint: "Add to your home screen to use it like an app",
    pushTitle: "Notifications on this device", pushOn: "Turn on notifications", pushOff: "Turn off notifications",
    pushEnabled: "On: reminders and mentions reach the lock screen while the app is closed",
    pushDisabled: "Off", pushUnsupported: "This browser cannot receive push notifications", pushDenied: "The browser blocks notifications; allow them in its settings",
    leadStatus: "Status", followUpBy: "Follow up by", ls_new: "new", ls_following: "following", ls_converted: "converted", ls_dropped: "dropped", lh_created: "created", lh_updated: "changed", lh_status: "status", lh_assigned: "assigned", lh_converted: "became a customer", lh_deleted: "deleted",
    h_created: "created", h_released: "released to the pool", h_claimed: "claimed", h_transferred: "transferred", h_shared: "shared", h_deleted: "deleted",
    kind_post: "post", kind_checkin: "check-in", kind_activity: "activity", kind_opportunity: "opportunity", kind_daily_report: "daily report", kind_announcement: "announcement",
    department: "Department", private: "Private", nameField: "Name", headline: "Title",
    province: "Province", city: "City", stage: "Stage", expectedClose: "Expected close", opportunity: "Opportunity", stage_lead: "Lead", stage_qualified: "Qualified", stage_proposal: "Proposal", stage_negotiation: "Negotiation",
    approvals: "Approvals", contracts: "Contracts", expenses: "Expenses",
    ap_waiting: "Waiting for me", ap_mine: "My requests", ap_approve: "Approve", ap_reject: "Reject", ap_return: "Return", ap_withdraw: "Withdraw",
    ap_submit: "Submit for approval", ap_comment_or_reason: "Comment (a reason to reject or return)", ap_open_record: "Open the record", ap_locked: "Under review, locked",
    ap_pending: "Pending", ap_approved: "Approved", ap_rejected: "Rejected", ap_returned: "Returned", ap_withdrawn: "Withdrawn",
    ap_step_waiting: "Not yet", ap_step_pending: "Waiting", ap_step_approved: "Approved", ap_step_rejected: "Rejected", ap_step_returned: "Returned", ap_step_cancelled: "Cancelled",
    ap_did_submitted: "submitted", ap_did_approved: "approved", ap_did_rejected: "rejected", ap_did_returned: "returned", ap_did_withdrawn: "withdrew", ap_did_commented: "commented", ap_did_forwarded: "forwarded",
    ap_kind_contract: "Contract", ap_kind_discount: "Discount", ap_kind_expense: "Expense claim", ap_kind_leave: "Leave", ap_kind_custom: "Request",
    ct_new: "New contract", ct_draft: "Draft", ct_reviewing: "Under review", ct_active: "Active", ct_completed: "Completed", ct_terminated: "Terminated",
    ct_collected: "Collected", ct_outstanding: "Outstanding", ct_record_payment: "Record a payment", ct_payments: "Payments",
    ex_new: "New expense claim", ex_title: "Purpose", ex_draft: "Draft", ex_reviewing: "Under review", ex_approved: "Approved", ex_receipts: "Receipts", ex_add_line: "Add a line",
    ex_cat_travel: "Travel", ex_cat_lodging: "Lodging", ex_cat_meals: "Meals", ex_cat_transport: "Transport", ex_cat_entertainment: "Entertainment", ex_cat_gifts: "Gifts",
    ex_cat_office: "Office", ex_cat_communication: "Communication", ex_cat_other: "Other",
  },
};

export function language() {
  const user = currentUser();
  const chosen = (user && user.language) || localStorage.getItem(KEY) || "zh-CN";
  return STRINGS[chosen] ? chosen : "zh-CN";
}

export function setLanguage(lang) {
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
}

export function t(key, params) {
  const text = STRINGS[language()][key] ?? STRINGS.en[key] ?? key;
  return params ? text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? "")) : text;
}

const zone = () => { const u = currentUser(); return (u && u.timezone) || undefined; };

export function formatTime(iso, withDate = true) {
  if (!iso) return "";
  const options = { timeZone: zone(), hour: "2-digit", minute: "2-digit", hour12: false };
  if (withDate) Object.assign(options, { month: "2-digit", day: "2-digit" });
  return new Intl.DateTimeFormat(language(), options).format(new Date(iso));
}

// Today as YYYY-MM-DD in the user's zone (the API's `date=` parameters).
export function today() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone(), year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

// A local "YYYY-MM-DDTHH:MM" from <input type=datetime-local> → ISO with the user's offset.
export function localInputToIso(value) {
  if (!value) return null;
  const asUtc = new Date(value + ":00Z");
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone(), hourCycle: "h23", year: "numeric", month: "2-digit",
    day: "2-digit", hour: "2-digit", minute: "2-digit" }).formatToParts(asUtc);
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  const shown = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  const offsetMin = Math.round((shown - asUtc.getTime()) / 60000);
  const sign = offsetMin >= 0 ? "+" : "-";
  const abs = Math.abs(offsetMin);
  return `${value}:00${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
