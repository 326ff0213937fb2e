namespace CommandCenter.Demo;

/// <summary>Name material for the demo county. Plausible, not a gazetteer.</summary>
internal static class DemoNames
{
    /// <summary>Code suffix, name, and whether it is an urban street (街道).</summary>
    public static readonly (string Suffix, string Name, bool Urban)[] Townships =
    [
        ("001", "人民路街道", true),
        ("002", "公园路街道", true),
        ("003", "四龙路街道", true),
        ("004", "工农路街道", true),
        ("005", "纺织路街道", true),
        ("100", "水川镇", false),
        ("101", "四龙镇", false),
        ("102", "王岘镇", false),
        ("200", "武川乡", false),
        ("201", "强湾乡", false),
    ];

    /// <summary>The seat village of each rural township (乡镇驻地村).</summary>
    public static readonly Dictionary<string, string> SeatVillages = new(StringComparer.Ordinal)
    {
        ["水川镇"] = "水川村",
        ["四龙镇"] = "四龙村",
        ["王岘镇"] = "王岘村",
        ["武川乡"] = "武川村",
        ["强湾乡"] = "强湾村",
    };

    public static readonly string[] Communities =
    [
        "金鱼", "银光", "五一", "友好", "向阳", "诚信", "和平", "团结", "兴华", "红星",
        "胜利", "新区", "北京路", "兰州路", "长通", "白银路", "东山", "西区", "南苑", "北苑",
        "翠园", "春晖", "银山", "铜城", "金岭", "新华", "文化", "建设", "富民", "安宁",
        "康乐", "明珠", "怡和", "泰和", "馨园", "丽苑", "锦华", "育才", "光明", "振兴",
        "永丰", "花园",
    ];

    /// <summary>Village names that are not of the 姓+家+terrain pattern.</summary>
    public static readonly string[] NamedVillages =
    [
        "大川渡", "红岘", "崖渠", "金峡", "黄茨", "碱水", "营盘", "红庄", "小岘", "马台",
        "中坪", "上川", "下川", "新田", "梁坪", "砂梁", "芦阳", "黄崖", "石门", "青岘",
        "白土", "红沟", "清水", "西台", "东岔", "三合", "四合", "永和", "团庄", "新民",
    ];

    public static readonly string[] VillageSurnames =
    [
        "王", "张", "李", "刘", "陈", "杨", "赵", "马", "魏", "郭", "何", "高", "罗", "孙", "朱",
        "胡", "徐", "田", "苏", "牛", "周", "吴", "任", "汪", "韩", "冯", "段", "雷", "薛", "白",
        "尚", "蒋", "顾", "包", "党", "焦", "鲁", "闫", "窦", "柴",
    ];

    public static readonly string[] VillageTerrains = ["湾", "岘", "沟", "川", "台", "塬", "坪", "窑", "滩", "庄", "岔", "梁", "渠", "墩"];

    public static readonly string[] PersonSurnames =
    [
        "王", "王", "王", "张", "张", "李", "李", "李", "刘", "刘", "陈", "杨", "杨", "赵", "马", "马",
        "魏", "郭", "何", "高", "罗", "孙", "朱", "胡", "徐", "田", "苏", "牛", "周", "吴", "任", "汪",
        "韩", "冯", "段", "雷", "薛", "白", "尚", "蔡", "宋", "金", "贾", "党", "姚", "包", "焦", "鲁",
    ];

    public static readonly string[] GivenNameCharacters =
    [
        "建", "国", "军", "华", "平", "明", "伟", "强", "磊", "洋", "勇", "艳", "芳", "娟", "霞", "丽",
        "敏", "静", "燕", "红", "玲", "英", "梅", "兰", "秀", "桂", "志", "文", "海", "涛", "斌", "鹏",
        "辉", "杰", "龙", "飞", "宏", "亮", "刚", "峰", "学", "德", "福", "贵", "忠", "林", "春", "晓",
        "雪", "晶", "慧", "婷", "琴", "萍", "彦", "俊", "永", "成", "生", "荣",
    ];

    /// <summary>Urban road names for intersection-style camera names.</summary>
    public static readonly string[] UrbanRoads =
    [
        "人民路", "北京路", "兰州路", "公园路", "四龙路", "工农路", "纺织路", "友好路", "五一街", "诚信大道",
        "银山路", "金岭路", "南环路", "北环路", "西环路", "东环路", "长通路", "白银路", "迎宾大道", "团结路",
        "建设街", "文化路", "育才路", "铜城大道", "银光路", "新华街", "和平路", "胜利街", "东山路", "富民路",
    ];

    public static readonly string[] UrbanSpots =
    [
        "广场", "东门", "西门", "南门", "北门", "农贸市场", "幼儿园门口", "公交站", "停车场入口", "便民服务站",
    ];

    public static readonly string[] RuralSpots =
    [
        "村委会", "小学门口", "十字路口", "卫生室", "文化广场", "村口", "便民超市",
        "养殖小区", "灌溉渠闸口", "新农村安置点",
    ];

    public static readonly string[] Highways = ["G109国道", "G247国道", "S207省道", "S217省道", "县道X011", "乡道Y025"];

    public static readonly string[] Sides = ["东侧", "西侧", "南侧", "北侧"];
}
