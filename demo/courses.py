"""Demo course and case library, restated from the source documents in /work/shared/seeds.

Facts and figures are carried over; the sentences are ours; every case names its source.
Pages that already exist are left alone, so a second run changes nothing.
"""

import datetime

from django.db import transaction
from wagtail.models import Page

from courses.authoring import authoring_index_setup, course_authors_sync
from courses.models import (
    CaseApproach,
    CaseStudyIndexPage,
    CaseStudyPage,
    ClassCourse,
    CourseEnrolment,
    CourseIndexPage,
    CoursePage,
    LessonPage,
    Theme,
)

ORDER = 40

SOURCE_RADIO = "河南新闻广播《为啥信阳乡镇书记集体学先导区？让成果从田间地头“长出来”》"

APPROACHES = [
    (
        "区域党委+特色产业",
        "regional-committee-industry",
        "以区域党委统筹相邻村，围绕一个主导产业抱团发展。",
    ),
    ("片区化组团式", "cluster", "打破村与村、镇与镇的边界，按产业和地缘划定片区，连片建设。"),
    (
        "五措并举·四轮驱动",
        "five-measures-four-drivers",
        "党建引领五大振兴，战略、产业、改革、基层四轮同时发力。",
    ),
    (
        "组织振兴行动计划",
        "organisation-plan",
        "省级层面以工程、行动、建设三个抓手推进乡村组织振兴。",
    ),
]


def _text(html):
    return {"type": "text", "value": {"text": html}}


def _heading(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


def _points(title, points):
    return {"type": "key_points", "value": {"title": title, "points": points}}


def _quote(quote, source, date=None):
    return {
        "type": "quotation",
        "value": {"quote": quote, "source": source, "source_date": date},
    }


def _case_card(case, note):
    return {"type": "case_study", "value": {"case_study": case.pk, "note": note}}


def _practice(title, html):
    return {"type": "practice", "value": {"title": title, "text": html}}


def _figure(label, value, unit="", year=None):
    return {
        "type": "figure",
        "value": {"label": label, "value": str(value), "unit": unit, "year": year},
    }


def _learnt(title, text=""):
    return {"type": "lesson", "value": {"title": title, "text": text}}


def _add(parent, page, *, tags=(), themes=(), m2m=None):
    """Create and publish `page` under `parent` unless a child with its slug exists."""
    existing = Page.objects.child_of(parent).filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific
    parent.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
    if themes:
        page.themes.set(Theme.objects.filter(code__in=themes))
    for name, values in (m2m or {}).items():
        getattr(page, name).set(values)
    page.save_revision().publish()
    return page


def _cases(index, org, approaches, course):
    counties = org.get("counties", {})
    henan = org.get("henan")
    related = {"related_courses": [course]}
    cases = {}
    cases["qinyang"] = _add(
        index,
        CaseStudyPage(
            title="沁阳市：“区域党委+特色产业”带动联村抱团发展",
            slug="qinyang-regional-committee",
            summary=(
                "沁阳把地缘相邻、产业相近的村组织到4个区域党委之下，围绕皮筋头饰、驴肉加工、"
                "非遗黑陶、养生花茶四个主导产业统一规划、统一经营，主导产业产值达25.7亿元。"
            ),
            place=counties.get("沁阳市"),
            period="2023年以来",
            approach=approaches["regional-committee-industry"],
            background=(
                "<p>沁阳市属焦作市，位于河南西北部，下辖11个乡镇（街道）、339个村（社区）。"
                "这里既不沿边也不靠海，又没有矿产资源；不少村子规模小、地少人少，集体经济"
                "发展不均衡，产业层次低、链条短，原有以单村为单位的组织方式已经跟不上发展。</p>"
            ),
            practices=[
                _practice(
                    "市级统筹，专班推动",
                    "<p>按照“县是指挥部、乡镇是作战部、村是战斗堡垒”的思路，由分管农业的副市长"
                    "牵头，组织、财政、农业农村等部门共8人组成乡村特色产业发展专班，定期会商。</p>",
                ),
                _practice(
                    "按产业设区域党委",
                    "<p>摸排地缘相邻、产业相近、要素相聚、愿景相同的村，设立4个区域党委，实行"
                    "“区域党委书记—专职副书记—党委委员”架构，统筹15个村的资源力量。</p>",
                ),
                _practice(
                    "成立强村公司，“五统一、三独立”",
                    "<p>各村以资源、资产、资金入股强村公司，聘请职业经理人；区域内统一生产标准、"
                    "品牌、采购、市场和定价，各村财务独立建账、独立核算、独立收支。</p>",
                ),
                _practice(
                    "试点先行，再面上铺开",
                    "<p>先在紫陵镇皮筋头饰、柏香镇驴肉产业试点，用“三图三目标”挂图作战，"
                    "再把经验推广到全市，并把产业区与神农山景区串成农文旅线路。</p>",
                ),
                _practice(
                    "公共服务向中心村集聚",
                    "<p>以约1万人口为服务半径，围绕“一老一小一青壮”，把养老、教育、医疗、就业"
                    "服务向中心村集中。</p>",
                ),
            ],
            figures=[
                _figure("区域党委", 4, "个", 2024),
                _figure("整合村", 15, "个", 2024),
                _figure("主导产业生产总值", "25.7", "亿元", 2024),
                _figure("带动村民就业", "11.6", "万人", 2024),
                _figure("全市乡镇（街道）", 11, "个"),
                _figure("全市村（社区）", 339, "个"),
            ],
            lessons_learnt=[
                _learnt(
                    "党建引领、以强带弱",
                    "打破村界，把党组织建在联村共建的中心村上，资源在区域内统筹使用。",
                ),
                _learnt(
                    "党管人才、专人专责",
                    "“党委+公司”双轨运行，招引乡村经理人、运营师，提高市场化运营水平。",
                ),
                _learnt(
                    "党群同心、共建共享",
                    "发展成果落到养老、教育、医疗和文化生活上，群众看得见、感受得到。",
                ),
            ],
            source_name="中共沁阳市委组织部，人民网—中国共产党新闻网",
            source_date=datetime.date(2024, 12, 23),
        ),
        tags=["区域党委", "特色产业", "强村公司", "集体经济"],
        themes=["organisation", "industry"],
        m2m=related,
    )
    cases["mengzhou"] = _add(
        index,
        CaseStudyPage(
            title="孟州市：五个区域化党委带动五个特色片区",
            slug="mengzhou-five-clusters",
            summary=(
                "孟州按“东粮西果、南药北菜”的产业格局划出5个片区，由5个示范型区域化党委覆盖"
                "25个行政村、4500余户农户，组织、产业、治理连片推进。"
            ),
            place=counties.get("孟州市"),
            period="2023年以来",
            approach=approaches["cluster"],
            background=(
                "<p>单个村产业规模小、增收平台低、发展资源少，是孟州不少村的共同难题。孟州市"
                "提出“党建示范引领、区域一体发展”，让村与村从各自为战转向抱团发展。</p>"
            ),
            practices=[
                _practice(
                    "布局突出“特”：按产业划片区",
                    "<p>依据产业类型和村级规划，设立南庄镇高效农业、槐树乡农文旅融合、城伯镇"
                    "高标准农田、赵和镇小米产业、槐树乡中药材产业5个片区。</p>",
                ),
                _practice(
                    "组织突出“强”：头雁带雁群",
                    "<p>通过雁归工程、育苗工程、大学生创业和头雁带动四条路子选育带头人，老中青"
                    "传帮带，480名镇村两级干部参与片区创建。</p>",
                ),
                _practice(
                    "治理突出“稳”：服务上门、环境连片整治",
                    "<p>指导各村修订村规民约、推动移风易俗；开展“双百双争”行动，连片整治人居"
                    "环境、补齐基础设施。</p>",
                ),
            ],
            figures=[
                _figure("示范型区域化党委", 5, "个"),
                _figure("覆盖行政村", 25, "个"),
                _figure("涵盖农户", 4500, "户"),
                _figure("参与片区创建的镇村干部", 480, "名"),
                _figure("3个片区村集体经济增收", 103, "万元"),
                _figure("农文旅片区农家院节假日日流水", 3, "万元以上"),
            ],
            lessons_learnt=[
                _learnt("片区设置跟着产业走", "一方水土一个主业，延长产业链，小产品做出大文章。"),
                _learnt("带头人队伍决定片区成色", "老支书的经验和年轻人的新思路要放在一起碰。"),
            ],
            source_name="孟州市区域化党建报道（记者董蕾，通讯员贺起帅、边龙飞）",
        ),
        tags=["区域党委", "片区化", "集体经济"],
        themes=["organisation", "industry", "talent"],
        m2m=related,
    )
    cases["district"] = _add(
        index,
        CaseStudyPage(
            title="某区：党建引领乡村振兴“五措并举”“四轮驱动”",
            slug="district-five-measures",
            summary=(
                "一个城郊区以“党建+”分别推进组织、产业、人才、文化、生态五大振兴，再以战略"
                "谋划、产业支撑、改革创新、基层基础四个轮子同时驱动。"
            ),
            place=henan,
            place_label="河南省某区（材料已隐去地名）",
            period="撤县设区后",
            approach=approaches["five-measures-four-drivers"],
            background=(
                "<p>该区由县改区，地处城市东部新城方向，乡村振兴示范带横跨多个乡镇。材料隐去"
                "了地名和大部分数字，但完整呈现了按五大振兴组织工作的方法。</p>"
            ),
            practices=[
                _practice(
                    "党建+组织振兴",
                    "<p>借村（社区）“两委”换届选优配强书记，推行党员网格化管理和积分制考评，"
                    "建设“七室一广场”党群服务中心。</p>",
                ),
                _practice(
                    "党建+产业振兴",
                    "<p>确立租赁型、经营型、资产收益型、合作经营型四种集体经济模式，实现无集体"
                    "经济收入村清零；建设鱼菜共生大棚、乐田农场等项目。</p>",
                ),
                _practice(
                    "党建+人才振兴",
                    "<p>建乡土人才信息库，举办返乡恳亲会，选乡土人才挂任乡镇科技副职，让新乡贤"
                    "担任村支部书记。</p>",
                ),
                _practice(
                    "党建+文化振兴",
                    "<p>挖掘木版年画、盘鼓、高跷等民间文化，村级综合文化服务中心全覆盖，推广"
                    "孝亲敬老“饺子宴”。</p>",
                ),
                _practice(
                    "党建+生态振兴",
                    "<p>推进国土绿化示范带、“三清一改”和坑塘治理，实施道路、厕所、风貌等提升"
                    "工程。</p>",
                ),
            ],
            figures=[
                _figure("振兴举措", 5, "项"),
                _figure("驱动轮", 4, "个"),
                _figure("集体经济发展模式", 4, "种"),
                _figure("无集体经济收入的行政村", 0, "个"),
            ],
            lessons_learnt=[
                _learnt("乡村振兴是一辆大车", "党建引航，战略、产业、改革、基层四轮缺一不可。"),
                _learnt("集体经济要有多种路子", "租赁、经营、资产收益、合作经营因村制宜。"),
            ],
            source_name="《区坚持党建引领乡村振兴“五措并举”“四轮驱动”经验启示》（匿名材料）",
        ),
        tags=["五大振兴", "集体经济"],
        themes=["organisation", "industry", "talent", "culture", "ecology"],
        m2m=related,
    )
    cases["henan_plan"] = _add(
        index,
        CaseStudyPage(
            title="河南省乡村组织振兴五年行动计划：三项工程、三项行动、三项建设",
            slug="henan-organisation-plan",
            summary=(
                "省委农村工作领导小组的五年行动计划，要求2021—2025年每名村党组织书记至少参加"
                "一次省级或市级培训，村干部全员轮训，并用“互联网+智慧党建”共享远程教育资源。"
            ),
            place=henan,
            period="2021—2025年",
            approach=approaches["organisation-plan"],
            background=(
                "<p>全面推进乡村振兴，关键在提升农村基层党组织的组织力。计划着眼解决“人、治、"
                "物、效”问题，健全党组织领导的基层组织体系和乡村治理体系。</p>"
            ),
            practices=[
                _practice(
                    "三项工程：建强组织体系",
                    "<p>乡镇领导班子建设龙头工程、村党组织建设堡垒工程、各类配套组织成长工程。</p>",
                ),
                _practice(
                    "三项行动：培养骨干队伍",
                    "<p>村党组织带头人整体优化提升（含村干部全员轮训、村党组织书记省市级培训），"
                    "驻村第一书记抓支部带支书促发展，党员队伍先锋出彩。</p>",
                ),
                _practice(
                    "三项建设：健全治理平台",
                    "<p>发挥“互联网+智慧党建”平台作用，实现远程教育、电化教育和网络新媒体资源"
                    "共享；坚持新时代“枫桥经验”。</p>",
                ),
            ],
            figures=[
                _figure("每名村党组织书记省级或市级培训（至少）", 1, "次", 2025),
                _figure("村党组织书记培训覆盖期（2021—2025）", 5, "年"),
                _figure("工程、行动、建设", 3, "项各"),
            ],
            lessons_learnt=[
                _learnt(
                    "培训是组织振兴的硬指标",
                    "村党组织书记轮训和省市级培训是组织部门要逐人跟踪的任务。",
                ),
                _learnt("平台要共享", "远程教育资源上网共享，基层干部随时能学。"),
            ],
            source_name="河南日报《党旗高扬振兴路——乡村振兴五大行动计划系列解读之五》",
            source_date=datetime.date(2021, 9, 17),
        ),
        tags=["组织振兴", "全员轮训"],
        themes=["organisation"],
        m2m=related,
    )
    return cases


def _lessons(course, cases):
    lessons = [
        LessonPage(
            title="第一课 什么是先导区，为什么是现在",
            slug="what-is-a-pilot-zone",
            summary="先导区是破解碎片化振兴的平台，也是信阳当前的必选项。",
            min_study_minutes=8,
            body=[
                _heading("一、从“一村一策”到片区统筹"),
                _text(
                    "<p>过去推进乡村振兴常常是各搞各的：村有村的项目，镇有镇的思路，看上去热闹，"
                    "却连不成片、形不成势。宜居宜业和美乡村先导区要做的，是在一个片区里把空间、"
                    "产业、人才、组织、生态放在一起重新设计，让资源整合、项目落地、产业形成闭环。</p>"
                ),
                _points(
                    "先导区是什么",
                    [
                        "河南破解碎片化振兴的制度创新平台",
                        "推动片区成带、成链、成势的抓手",
                        "连接县域统筹和乡村单元的核心平台",
                    ],
                ),
                _heading("二、信阳为什么此时聚焦先导区"),
                _text(
                    "<p>河南省委十一届九次全会提出建设“五个强省”，农业强省居首；6月30日召开的"
                    "信阳市委六届八次全会要求大力推进先导区建设。7月2日，信阳在大别山干部学院集中"
                    "培训全市乡镇（街道）党（工）委书记，把先导区作为重点内容。</p>"
                    "<p>当下是把先导区从理念变成项目、从政策变成机制、从部署变成施工的窗口期：政策、"
                    "资金和项目的窗口都在此时打开。</p>"
                ),
                _quote(
                    "先导区不是可选项，而是破解碎片化振兴、推动整体跃升的必选项。",
                    SOURCE_RADIO,
                ),
            ],
        ),
        LessonPage(
            title="第二课 片区里的五大要素",
            slug="five-elements",
            summary="空间、产业、人才、组织、生态，在一个片区里一起谋划。",
            min_study_minutes=6,
            body=[
                _text(
                    "<p>先导区不是给某个村加一个项目，而是在片区范围内对五大要素做系统重塑。"
                    "任何一个要素缺位，片区都难以“成带、成链、成势”。</p>"
                ),
                _points(
                    "五大要素",
                    [
                        "空间：打破行政边界，按地缘和产业划定片区",
                        "产业：串点成链，形成从生产到销售的闭环",
                        "人才：能人回归、乡村经理人、本土带头人",
                        "组织：党建统领，片区党组织统筹各村",
                        "生态：人居环境和生态资源成为片区的底色和资本",
                    ],
                ),
                _text(
                    "<p>这五个要素与产业、人才、文化、生态、组织“五大振兴”一一呼应：先导区就是"
                    "用一个平台、一个片区把五大振兴统筹起来，把局部创新变成系统跃升。</p>"
                ),
                _case_card(cases["district"], "一个区如何按五大振兴分项推进、四轮同时驱动。"),
            ],
        ),
        LessonPage(
            title="第三课 县是总指挥部，乡镇是前线施工部",
            slug="county-and-township",
            summary="县级统筹、乡镇施工：乡镇书记是先导区的第一责任人。",
            min_study_minutes=6,
            body=[
                _quote(
                    "如果说县级是先导区建设的“总指挥部”，那么乡镇就是“前线施工部”。",
                    SOURCE_RADIO,
                ),
                _text(
                    "<p>县一级负责统筹：资源投放、项目安排、政策供给和组织力量向片区集聚，一体谋划、"
                    "一体推进，让县域“统得住”。乡镇一级负责施工：把省委、市委的蓝图变成田间地头的"
                    "实景图，让乡镇“接得住”、村庄“活起来”。</p>"
                ),
                _points(
                    "乡镇书记的三个“第一”",
                    ["第一责任人", "第一执行人", "第一答卷人"],
                ),
                _text(
                    "<p>沁阳的做法可资对照：县是“指挥部”，乡镇是“作战部”，村是“战斗堡垒”，由市级"
                    "专班统筹部门力量，乡镇班子成员下沉担任区域党委书记。</p>"
                ),
                _case_card(cases["qinyang"], "市级专班统筹、乡镇干部下沉任区域党委书记。"),
            ],
        ),
        LessonPage(
            title="第四课 乡镇如何融入片区化组团式发展",
            slug="joining-a-cluster",
            summary="镇与镇组团、村与村成链、片区与片区协同。",
            min_study_minutes=8,
            body=[
                _text(
                    "<p>信阳的地形和产业结构决定了单点突围很难带来整体跃升。乡镇融入片区，要做到"
                    "三件事：镇与镇联合起来组团发展，村与村串点成链，片区与片区协同提升。</p>"
                ),
                _heading("从产业出发划片区"),
                _text(
                    "<p>孟州的经验是按“东粮西果、南药北菜”的产业格局划定5个片区，每个片区一个主业，"
                    "由区域化党委统筹，3个片区一年村集体经济增收103万元。</p>"
                ),
                _case_card(cases["mengzhou"], "5个片区如何按产业划定、由谁来带。"),
                _points(
                    "乡镇书记的行动清单",
                    [
                        "摸清本镇各村的产业、资源和愿景，找出与邻镇相近的产业",
                        "与县里对接片区规划，明确本镇在片区中的分工",
                        "选好片区带头人，建立片区党组织",
                        "把项目、资金、服务向片区中心村集聚",
                    ],
                ),
            ],
        ),
        LessonPage(
            title="第五课 组织起来：党支部+合作社+龙头企业+农户",
            slug="organising-the-cluster",
            summary="党支部领办、合作社联合、龙头企业带动、农户参与。",
            min_study_minutes=8,
            body=[
                _text(
                    "<p>先导区建设与基层治理深度绑定。路径是“党建统领、片区统筹、支部带动、能人回归、"
                    "合作联营”，组织形式是“党支部领办+合作社联合体+农业龙头企业+农户”的联合体。</p>"
                ),
                _points(
                    "联合体里的四方",
                    [
                        "党支部：领办，把方向、管大局、保落实",
                        "合作社联合体：把分散的土地、资金和劳力组织起来",
                        "农业龙头企业：带来技术、品牌和市场",
                        "农户：入股、务工、分红，共享收益",
                    ],
                ),
                _text(
                    "<p>沁阳的强村公司是一种具体做法：各村以资源、资产、资金入股，区域党委领导，"
                    "聘请职业经理人运营，实行“五统一、三独立”，既抱团又各自清楚。它让村集体经济"
                    "稳定增收，也把产业发展、农民增收和乡村治理连在了一起。</p>"
                ),
                _case_card(cases["qinyang"], "强村公司“五统一、三独立”的具体规则。"),
                _case_card(cases["henan_plan"], "省里对村党组织书记培训和全员轮训的要求。"),
            ],
        ),
    ]
    return [_add(course, lesson) for lesson in lessons]


@transaction.atomic
def seed(context):
    home = context["home"]
    org = context.get("org", {})
    staff = context.get("staff", {})

    approaches = {}
    for name, slug, description in APPROACHES:
        approaches[slug], _ = CaseApproach.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )

    course_index = _add(
        home,
        CourseIndexPage(
            title="课程",
            slug="courses",
            intro="<p>分配给你的必修课和选修课。学习时长由服务器计时，完成后自动计入学时档案。</p>",
        ),
    )
    case_index = _add(
        home,
        CaseStudyIndexPage(
            title="案例库",
            slug="cases",
            intro="<p>乡村振兴与基层党建的实践案例，可按主题、地区和模式筛选。</p>",
        ),
    )
    authoring_index_setup(index=course_index)
    authoring_index_setup(index=case_index)

    instructors = [p for p in (staff.get("instructor"), staff.get("instructor2")) if p]
    course = _add(
        course_index,
        CoursePage(
            title="宜居宜业和美乡村先导区建设：片区化组团式发展",
            slug="pilot-zone-cluster-development",
            summary=(
                "面向乡镇（街道）党（工）委书记：先导区是什么、为什么要建，片区里的五大要素，"
                "县乡分工，乡镇如何融入片区，以及怎样把党支部、合作社、龙头企业和农户组织起来。"
            ),
            requirement=CoursePage.Requirement.COMPULSORY,
            estimated_minutes=40,
            # 信阳市's course: its organisers approve the lessons, not 罗山县's.
            owning_unit=org.get("信阳市"),
        ),
        tags=["先导区", "片区化", "组团式"],
        themes=["organisation", "industry", "talent", "ecology", "culture"],
        m2m={"instructors": instructors[:1]},
    )
    if course.owning_unit_id is None and org.get("信阳市") is not None:  # seeded before issue 16
        CoursePage.objects.filter(pk=course.pk).update(owning_unit=org["信阳市"])
        course.owning_unit = org["信阳市"]
    cases = _cases(case_index, org, approaches, course)
    course_authors_sync(course=course)
    lessons = _lessons(course, cases)

    demo_class = context.get("demo_class")
    if demo_class is not None:
        ClassCourse.objects.get_or_create(training_class=demo_class, course=course)
    else:
        # Without the training demo, give the first trainees the course directly.
        for trainee in context.get("trainees", [])[:10]:
            CourseEnrolment.objects.get_or_create(trainee=trainee, course=course)

    context["courses"] = {
        "index": course_index,
        "cases_index": case_index,
        "pilot_zone": course,
        "lessons": lessons,
        "cases": cases,
    }
