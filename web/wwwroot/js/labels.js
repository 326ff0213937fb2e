// Every word a page shows for one of the API's enum words (and for the hub connection's states), and how a distance
// reads, each once: the wall, the console, the phone page, the video wall and the rating page read them from here.

export const SOURCE_LABELS = Object.freeze({
  gridWorker: "网格员上报",
  hotline12345: "12345热线",
  petition: "信访",
  miniProgram: "群众小程序",
  cameraAlarm: "摄像头告警",
  police: "公安",
});

export const ROLE_LABELS = Object.freeze({
  gridChief: "网格长",
  gridWorker: "网格员",
  patrolOfficer: "巡逻民警",
});

export const STATUS_LABELS = Object.freeze({
  reported: "待核实",
  verified: "已核实",
  ticketed: "已制单",
  dispatched: "已派单",
  accepted: "处置中",
  handled: "已处置",
  fedBack: "已办结",
  rated: "已评价",
  assessed: "已考核",
  rejected: "已驳回",
  merged: "已合并",
});

/** Statuses of a case still in the loop (未办结); the others are closed. */
export const OPEN_STATUSES = Object.freeze(["reported", "verified", "ticketed", "dispatched", "accepted", "handled"]);

export const ACTION_LABELS = Object.freeze({
  verify: "核实",
  reject: "驳回",
  merge: "合并",
  resolve: "就地办结",
  ticket: "制单",
  dispatch: "派单",
  take: "接警",
  accept: "接单",
  handle: "处置",
  feedback: "反馈",
  rate: "评单",
  assess: "考单",
  escalate: "上报上级",
});

export const EVENT_LABELS = Object.freeze({
  reported: "上报",
  verified: "核实",
  rejected: "驳回",
  merged: "合并到其他案件",
  linked: "合并了重复上报",
  resolved: "就地办结",
  ticketed: "制单",
  dispatched: "派单",
  accepted: "接单",
  taken: "接警",
  handled: "处置",
  fedBack: "反馈",
  feedbackShared: "收到主案件的反馈",
  rated: "群众评价",
  reopened: "不满意,重新处置",
  assessed: "考单",
  escalated: "上报上级",
  overdue: "超期,开始督办",
  supervisionEscalated: "督办超期,上级督办",
  attached: "上传照片",
  cameraRecovered: "摄像头恢复在线",
  moved: "区划调整,移交新网格",
  // An alert's entries on the timeline (警务+网格), with the officer's name as their note.
  alerted: "推送给民警",
  alertEscalated: "民警超时未签收,已提醒上级",
  alertAcknowledged: "民警签收",
});

export const STEP_LABELS = Object.freeze({
  ticket: "制单",
  accept: "接单",
  handle: "做单",
  feedback: "反馈",
  supervision: "督办",
});

export const RATING_LABELS = Object.freeze({
  satisfied: "满意",
  neutral: "一般",
  dissatisfied: "不满意",
});

export const ASSIGNEE_LABELS = Object.freeze({
  worker: "人员",
  jurisdiction: "下级",
  department: "职能部门",
});

/** A person's duty status (在岗状态); 失联 is judged from the age of their last position, whatever the status. */
export const DUTY_LABELS = Object.freeze({
  offDuty: "下班",
  onDuty: "在岗",
  busy: "处置中",
  onPatrol: "巡查中",
  sos: "紧急求助",
});

export const LOST_CONTACT_LABEL = "失联";

export const GRID_NOTE_LABELS = Object.freeze({ leftGrid: "离开网格", backInGrid: "回到网格" });

export const CAMERA_STATUS_LABELS = Object.freeze({ online: "在线", offline: "离线", unknown: "未检测" });

/** The states of wall-feed.js's ConnectionState; the browser tests wait for 实时 and for 重连中 or 已断开. */
export const CONNECTION_LABELS = Object.freeze({
  connecting: "连接中…",
  live: "实时",
  reconnecting: "重连中",
  disconnected: "已断开",
});

/** A label for an enum word; unknown words are shown as they are (as text). */
export function label(table, word) {
  return Object.prototype.hasOwnProperty.call(table, word) ? table[word] : String(word ?? "");
}

/** Patrol windows by their configured names (others are shown by name), outcomes and states (一巡), and check-in kinds (三查). */
export const PATROL_WINDOW_LABELS = Object.freeze({ morning: "早巡", noon: "午巡", evening: "晚巡" });

export const PATROL_OUTCOME_LABELS = Object.freeze({ done: "已巡", partial: "未巡满", missed: "漏巡" });

export const PATROL_STATE_LABELS = Object.freeze({ upcoming: "未开始", open: "进行中", ended: "已结束" });

export const CHECK_IN_LABELS = Object.freeze({
  checkpoint: "巡查点打卡",
  rentalHousing: "走访出租房",
  keyPerson: "走访重点人员",
  specialPlace: "检查特殊场所",
});

/** Why a person is alerted (警情提醒). */
export const ALERT_KIND_LABELS = Object.freeze({ inGrid: "辖区新警情", dispatched: "派给我的" });

/** 突发事件分级, as CommandLevel. */
export const COMMAND_LEVEL_LABELS = Object.freeze({
  particularlyMajor: "Ⅰ级(特别重大)",
  major: "Ⅱ级(重大)",
  large: "Ⅲ级(较大)",
  general: "Ⅳ级(一般)",
});

/** Where a recipient of an instruction stands, as RecipientState. */
export const RECIPIENT_STATE_LABELS = Object.freeze({
  issued: "未接收",
  delivered: "已送达",
  signed: "已签收",
  reported: "已回执",
  done: "已完成",
});

/** The kinds of entry of a command session's log, as SessionLogKinds. */
export const SESSION_LOG_LABELS = Object.freeze({
  "session.opened": "开启指挥",
  "instruction.issued": "下达指令",
  "instruction.signed": "签收指令",
  "instruction.reported": "回执",
  "instruction.reminded": "催办",
  "instruction.escalated": "上报上级",
  "view.led": "领屏",
  "view.released": "结束领屏",
  "markup.drawn": "标绘",
  "markup.removed": "撤除标绘",
  "session.shared": "共享",
  "conference.joined": "加入视频会议",
  "conference.left": "离开视频会议",
  "conference.floor": "指定发言",
  "conference.muted": "静音",
  "conference.failed": "视频故障",
  "session.closed": "结束指挥",
});

/** The kinds of map markup (标绘). */
export const MARKUP_KIND_LABELS = Object.freeze({ line: "线", circle: "圆", polygon: "面" });

/** Where a unit's zero-report (零报告) of a day stands. */
export const ZERO_REPORT_STATE_LABELS = Object.freeze({ pending: "待报", overdue: "未报", onTime: "按时报送", late: "迟报" });

/** A station's outcome in a video roll call (视频点名), as RollCallExport words it. */
export const ROLL_CALL_OUTCOME_LABELS = Object.freeze({ pending: "待应答", onTime: "按时应答", late: "迟到应答", notAnswered: "未应答", offline: "离线" });

/** The levels of the jurisdiction tree that report (and the others, for completeness). */
export const LEVEL_LABELS = Object.freeze({ city: "市", county: "区县", township: "乡镇(街道)", village: "村(社区)", grid: "网格" });

/** A distance as the pages show it: metres below a kilometre, else kilometres to one decimal. */
export function distanceText(meters) {
  return meters < 1000 ? `${Math.round(meters)} 米` : `${(meters / 1000).toFixed(1)} 公里`;
}
