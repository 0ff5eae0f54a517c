"""Words that other messages take as parameters (file types, roles, statuses, workflow verbs), so
that a Vietnamese sentence never carries an English word."""

from __future__ import annotations

from tfdb_dam.messages import Text

MESSAGES: dict[str, Text] = {
    # What a refused file really is (media/sniff.py REFUSED_FAMILIES)
    "word.family.program": Text("a program", "một chương trình"),
    "word.family.script": Text("a script", "một tập lệnh (script)"),
    "word.family.shortcut": Text("a Windows shortcut", "một lối tắt (shortcut) của Windows"),
    "word.family.archive": Text("an archive", "một tệp nén"),
    "word.family.disc": Text("a disc image", "một ảnh đĩa"),
    "word.family.font": Text("a font", "một phông chữ"),
    "word.family.ole": Text(
        "an old-format or password-protected Microsoft Office file",
        "một tài liệu Microsoft Office định dạng cũ hoặc có mật khẩu"),
    "word.family.html": Text("an HTML page", "một trang HTML"),
    "word.family.svg": Text("an SVG drawing", "một hình vẽ SVG"),
    "word.size_mb": Text("{size} MB", "{size} MB"),
    "word.size_bytes": Text("{count} bytes", "{count} byte"),
    # Parts of a storage path (storage/filestore.py)
    "word.sha256": Text("SHA-256", "mã SHA-256"),
    "word.extension": Text("extension", "đuôi tệp"),
    "word.rendition_name": Text("rendition name", "tên phiên bản"),
    # Who acts, at the start of a sentence (services/review_rules.py ROLE_NAMES)
    "word.role_subject.admin": Text("An administrator", "Quản trị viên"),
    "word.role_subject.approver": Text("An approver", "Người duyệt"),
    "word.role_subject.contributor": Text("A contributor", "Cộng tác viên"),
    "word.role_subject.viewer": Text("A viewer", "Người xem"),
    "word.role_subject.public": Text("The public", "Khách chưa đăng nhập"),
    "word.the_system": Text("the system", "hệ thống"),
    # What publishing needs (services/review_rules.py PUBLIC_FIELDS)
    "word.needed.title_vi": Text("a Vietnamese title", "tiêu đề tiếng Việt"),
    "word.needed.title_en": Text("an English title", "tiêu đề tiếng Anh"),
    "word.needed.credit": Text("a credit", "ghi công"),
    "word.needed.license": Text("a licence", "giấy phép"),
    # Workflow steps: the verb ("cannot approve") and the participle ("cannot be approved")
    "word.action.submit": Text("submit", "gửi duyệt"),
    "word.action.withdraw": Text("withdraw", "rút lại"),
    "word.action.approve": Text("approve", "duyệt"),
    "word.action.reject": Text("reject", "từ chối"),
    "word.action.publish": Text("publish", "công bố"),
    "word.action.unpublish": Text("unpublish", "gỡ công bố"),
    "word.action.archive": Text("archive", "lưu trữ"),
    "word.action.reopen": Text("reopen", "mở lại"),
    "word.done.submitted": Text("submitted", "gửi duyệt"),
    "word.done.withdrawn": Text("withdrawn", "rút lại"),
    "word.done.approved": Text("approved", "duyệt"),
    "word.done.rejected": Text("rejected", "từ chối"),
    "word.done.published": Text("published", "công bố"),
    "word.done.unpublished": Text("unpublished", "gỡ công bố"),
    "word.done.archived": Text("archived", "lưu trữ"),
    "word.done.reopened": Text("reopened", "mở lại"),
    # Asset statuses inside sentences (db/models.py AssetStatus)
    "word.status.draft": Text("draft", "nháp"),
    "word.status.submitted": Text("submitted", "chờ duyệt"),
    "word.status.approved": Text("approved", "đã duyệt"),
    "word.status.rejected": Text("rejected", "bị từ chối"),
    "word.status.published": Text("published", "đã công bố"),
    "word.status.archived": Text("archived", "lưu trữ"),
    # Search filters (services/search_filters.py)
    "word.filter.kind": Text("kind", "Loại tư liệu"),
    "word.filter.status": Text("status", "Trạng thái"),
    # Where the database is (db/engine.py)
    "word.db_external": Text("the server in DATABASE_URL", "máy chủ trong DATABASE_URL"),
    "word.db_embedded": Text("the embedded PostgreSQL", "PostgreSQL nhúng"),
    "word.none": Text("(none)", "(không có)"),
}
