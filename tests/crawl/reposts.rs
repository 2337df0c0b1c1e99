//! Reposts across two sites: an association's site and a portal that
//! reposts two of its articles (one with its noise, a new headline and
//! other punctuation; one cut short by a login stub), beside articles each
//! site holds alone and two notices of the association on one template.
//! Every copy of a story shares a group, each group names the association's
//! page as its original, and different articles stay apart.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::backends;
use crate::support::server::{Reply, serve};
use crate::support::states::Fresh;
use report_scraper::crawl::{CrawlConfig, CrawlEvent, CrawledArticle, Crawler};
use report_scraper::fetch::{FetchConfig, Fetcher};

const MEETING: &str = "2月17日，2025年全省计生协工作会议在广州市召开，总结2024年工作，部署2025年重点任务。省卫生健康委党组成员、副主任，省计生协副会长出席并讲话。\n\
会议指出，2024年各级计生协深入贯彻落实重要指示精神，深化推进改革，深入实施六大工程七项行动，大力推动高质量发展，全省计生协工作迈上新台阶。\n\
会议强调，2025年要全面加强党的领导，大力拓展生育支持服务，扎实开展青春健康教育，持续做好计生特殊家庭帮扶，不断提升服务群众能力。";

const CARE: &str = "为进一步做好计划生育特殊家庭帮扶工作，市计生协组织志愿者深入社区，开展走访慰问活动，为困难家庭送去慰问金和生活用品。\n\
活动中，志愿者与家庭成员亲切交谈，详细了解他们的生活状况、身体情况和实际困难，叮嘱他们保重身体，有困难及时与社区和计生协联系。\n\
市计生协负责人表示，将继续完善联系人制度，落实就医绿色通道，开展心理健康服务，让计生特殊家庭感受到党和政府的温暖。";

const YOUTH: &str = "近日，省计生协在某大学举办青春健康教育师资培训班，来自全省各高校的八十余名教师参加培训，围绕青春期生理心理健康开展学习交流。\n\
培训采用参与式教学方法，通过游戏、讨论、角色扮演等形式，帮助学员掌握同伴教育技巧，提高开展青春健康教育的能力和水平。";

const PORTAL_OWN: &str = "本届国际医疗器械博览会将于五月在会展中心举行，预计展出面积十万平方米，吸引来自三十多个国家和地区的两千余家企业参展，涵盖影像设备、体外诊断和康复器械等领域。\n\
主办方表示，展会期间将同期举办学术论坛和新品发布活动，欢迎业内人士报名观展，参观登记已在官方网站开放。";

/// A notice on the association's template: only its quarter, date and room differ.
fn notice(quarter: &str, day: &str, room: &str) -> String {
    format!(
        "各区计生协：\n经研究，定于{day}召开{quarter}工作例会，现将有关事项通知如下。\n一、会议时间：{day}上午9时。\n二、会议地点：市计生协{room}会议室。\n三、参会人员：各区计生协秘书长。请准时参加。"
    )
}

fn page(title: &str, site: &str, date: &str, body: &str, extra_top: &str, extra_bottom: &str) -> String {
    let paras: String = body.lines().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<html><head><title>{title}_{site}</title></head><body><div class=\"nav\"><a href=\"/\">首页</a></div>\
         <h1>{title}</h1><div class=\"info\">发布时间：{date}</div>{extra_top}<div class=\"TRS_Editor\">{paras}</div>{extra_bottom}</body></html>"
    )
}

fn association(path: &str) -> Reply {
    const SITE: &str = "广东省计划生育协会";
    match path {
        "/" => Reply::html(
            "<html><body><ul><li><a href=\"/xw/1.html\">会议</a></li><li><a href=\"/xw/2.html\">慰问</a></li>\
             <li><a href=\"/xw/3.html\">培训</a></li><li><a href=\"/tz/1.html\">通知一</a></li>\
             <li><a href=\"/tz/2.html\">通知二</a></li></ul></body></html>",
        ),
        "/xw/1.html" => Reply::html(page("召开2025年全省计生协工作会议", SITE, "2025-02-20 21:14", MEETING, "", "")),
        "/xw/2.html" => Reply::html(page("市计生协开展特殊家庭走访慰问活动", SITE, "2025-01-20 10:00", CARE, "", "")),
        "/xw/3.html" => {
            Reply::html(page("省计生协举办青春健康教育师资培训班", SITE, "2025-03-02 09:30", YOUTH, "", ""))
        }
        "/tz/1.html" => Reply::html(page(
            "关于召开第一季度工作例会的通知",
            SITE,
            "2025-03-25",
            &notice("第一季度", "3月28日", "三楼"),
            "",
            "",
        )),
        "/tz/2.html" => Reply::html(page(
            "关于召开第二季度工作例会的通知",
            SITE,
            "2025-06-24",
            &notice("第二季度", "6月27日", "五楼"),
            "",
            "",
        )),
        _ => Reply::status(404),
    }
}

fn portal(path: &str) -> Reply {
    const SITE: &str = "手机全球会展网";
    let prompt = "<p>点击上方蓝字</p><p>温馨提示:信息一旦丢失不一定找得到,请务必收藏信息以备急用!</p>";
    let half_width: String = MEETING.replace(['，', '、'], ",");
    let cut: String = CARE.chars().take(CARE.chars().count() * 6 / 10).collect();
    match path {
        "/" => Reply::html(
            "<html><body><ul><li><a href=\"/news/77.html\">广东</a></li><li><a href=\"/news/78.html\">慰问</a></li>\
             <li><a href=\"/news/79.html\">博览会</a></li></ul></body></html>",
        ),
        "/news/77.html" => Reply::html(page(
            "广东:召开2025年全省计生协工作会议",
            SITE,
            "2025-02-21 08:00",
            &half_width,
            prompt,
            "<p>来源：广东省计划生育协会</p><p>分享到：微信 微博</p>",
        )),
        "/news/78.html" => Reply::html(page(
            "特殊家庭走访慰问",
            SITE,
            "2025-01-20 16:00",
            &cut,
            "",
            "<p>剩余内容请登录后阅读全文</p><p>来源：广东省计划生育协会</p>",
        )),
        "/news/79.html" => Reply::html(page("国际医疗器械博览会五月开幕", SITE, "2025-04-01", PORTAL_OWN, "", "")),
        _ => Reply::status(404),
    }
}

async fn reposts_on_two_sites_are_grouped_under_the_original<S: Fresh>() {
    let (portal_site, association_site) =
        (serve(|req| portal(&req.path)).await, serve(|req| association(&req.path)).await);
    // The portal first: its copies are met before their originals.
    let seeds = [format!("{}/", portal_site.base), format!("{}/", association_site.base)];
    let config = CrawlConfig::builder().workers(1).max_depth(1).seeds(seeds).build();
    let fetch = FetchConfig::builder()
        .allow_range("127.0.0.1/32".parse().unwrap())
        .politeness_delay(Duration::from_millis(5))
        .build();
    let crawler = Crawler::new(config, Fetcher::new(fetch).unwrap()).unwrap();
    let state = S::fresh().await;
    let mut records: Vec<CrawledArticle> = Vec::new();
    crawler
        .run(&state, &AtomicBool::new(false), |event| {
            if let CrawlEvent::Articles(r) = event {
                records.extend(r.iter().cloned());
            }
            Ok(())
        })
        .await
        .unwrap();
    let (a, p) = (&association_site.base, &portal_site.base);
    let group: BTreeMap<String, String> = records
        .iter()
        .map(|r| (r.final_url.to_string(), r.group.clone().expect("every body is long enough")))
        .collect();
    assert_eq!(group.len(), 8, "{:?}", group.keys());
    let g = |path: &str, base: &str| group[&format!("{base}{path}")].clone();
    assert_eq!(g("/news/77.html", p), g("/xw/1.html", a), "the repost with noise and a new headline");
    assert_eq!(g("/news/78.html", p), g("/xw/2.html", a), "the repost cut short");
    let apart = [
        g("/xw/1.html", a),
        g("/xw/2.html", a),
        g("/xw/3.html", a),
        g("/tz/1.html", a),
        g("/tz/2.html", a),
        g("/news/79.html", p),
    ];
    let distinct: std::collections::BTreeSet<_> = apart.iter().collect();
    assert_eq!(distinct.len(), apart.len(), "different articles (two notices on one template among them) stay apart");
    // A record names the original when it was met before; the final grouping always does.
    for r in &records {
        if let Some(of) = &r.repost_of {
            assert!(of.starts_with(a.as_str()), "{} names {of}", r.final_url);
        }
    }
    let rows = Crawler::reposts(&state).await.unwrap();
    let of: BTreeMap<String, Option<String>> = rows.into_iter().map(|r| (r.url, r.repost_of)).collect();
    assert_eq!(of[&format!("{p}/news/77.html")], Some(format!("{a}/xw/1.html")));
    assert_eq!(of[&format!("{p}/news/78.html")], Some(format!("{a}/xw/2.html")));
    let originals = of.values().filter(|o| o.is_none()).count();
    assert_eq!((of.len(), originals), (8, 6), "{of:?}");
}
backends!(reposts_on_two_sites_are_grouped_under_the_original);
