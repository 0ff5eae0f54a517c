"""What is said about values people type: metadata, import CSVs, users, taxonomy, rights, settings."""

from __future__ import annotations

from tfdb_dam.messages import Text

MESSAGES: dict[str, Text] = {
    # Asset metadata (services/metadata.py, ingest_metadata.py, ingest.py)
    "metadata.text_needed": Text("A text field needs text.", "Trường văn bản cần được nhập nội dung."),
    "metadata.text_too_long": Text(
        "A text of {length} characters is too long; the limit is {limit}.",
        "Nội dung dài {length} ký tự, vượt quá giới hạn {limit} ký tự."),
    "metadata.date_invalid": Text(
        "{value} is not a date; write it as YYYY-MM-DD.",
        "{value} không phải là ngày hợp lệ; vui lòng nhập theo dạng YYYY-MM-DD."),
    "metadata.category_unknown": Text(
        "There is no category {value}; pick one from the list.",
        "Không có danh mục {value}; vui lòng chọn một danh mục trong danh sách."),
    "metadata.category_unknown_known": Text(
        "There is no category {value}; use one of: {known}.",
        "Không có danh mục {value}; vui lòng dùng một trong các danh mục: {known}."),
    "metadata.tags_not_list": Text(
        "Tags are a list of words or phrases.", "Thẻ phải là một danh sách từ hoặc cụm từ."),
    "metadata.tag_too_long": Text(
        "A tag may have at most {limit} characters.", "Mỗi thẻ chỉ được dài tối đa {limit} ký tự."),
    "metadata.fields_not_editable": Text(
        "{fields} cannot be edited; the editable fields are {editable}.",
        "Không thể sửa {fields}; các trường được phép sửa là {editable}."),
    "metadata.fields_unknown": Text(
        "Unknown metadata field(s) {fields}; use {known}.",
        "Trường siêu dữ liệu không xác định: {fields}; vui lòng dùng {known}."),
    "metadata.field_too_long": Text(
        "The {field} is longer than {limit} characters.",
        "Trường {field} dài quá {limit} ký tự."),
    "metadata.capture_time_invalid": Text(
        "The capture time {value} is not a date like 2024-05-18 or 2024-05-18 14:30+07:00.",
        "Thời điểm chụp {value} không đúng định dạng ngày như 2024-05-18 hoặc 2024-05-18 14:30+07:00."),
    # Import CSV files (services/ingest_metadata.py, exchange_import.py)
    "csv.no_filename_header": Text(
        "The metadata file {path} needs a header row with a 'filename' column.",
        "Tệp siêu dữ liệu {path} cần có dòng tiêu đề với cột 'filename'."),
    "csv.unreadable": Text(
        "The metadata file {path} cannot be read as UTF-8 CSV: {reason}.",
        "Không đọc được tệp siêu dữ liệu {path} dưới dạng CSV UTF-8: {reason}."),
    "csv.line_no_filename": Text(
        "Line {line} of {path} has no file name.", "Dòng {line} của {path} không có tên tệp."),
    "csv.line_duplicate": Text(
        "Line {line} of {path} names {name} a second time; keep one row per file.",
        "Dòng {line} của {path} lặp lại tệp {name}; mỗi tệp chỉ được có một dòng."),
    "csv.line_invalid": Text(
        "Line {line} of {path} ({name}): {reason}",
        "Dòng {line} của {path} ({name}): {reason}"),
    "csv.metadata_for": Text("The metadata for {name}: {reason}", "Siêu dữ liệu của {name}: {reason}"),
    # Users and passwords (services/users.py, auth.py)
    "user.name_invalid": Text(
        "A user name is 2–64 characters of lower-case letters, digits, dots, dashes or underscores.",
        "Tên người dùng gồm 2–64 ký tự, chỉ dùng chữ thường không dấu, chữ số, dấu chấm, "
        "gạch ngang hoặc gạch dưới."),
    "user.name_reserved": Text(
        "The user name {name} is reserved; choose another.",
        "Tên người dùng {name} đã được dành riêng; vui lòng chọn tên khác."),
    "user.password_short": Text(
        "A password needs at least {minimum} characters.", "Mật khẩu cần có ít nhất {minimum} ký tự."),
    "user.password_long": Text(
        "A password may have at most {limit} bytes (accented letters take two or three).",
        "Mật khẩu chỉ được dài tối đa {limit} byte (mỗi chữ có dấu chiếm hai hoặc ba byte)."),
    "user.role_unknown": Text(
        "Unknown role {value}; use admin, approver, contributor or viewer.",
        "Vai trò {value} không hợp lệ; vui lòng dùng admin, approver, contributor hoặc viewer."),
    "user.name_taken": Text(
        "The user name {name} is already taken.", "Tên người dùng {name} đã có người sử dụng."),
    "user.missing": Text("There is no user named {name}.", "Không có người dùng nào tên {name}."),
    "user.disabled": Text("The account {name} is disabled.", "Tài khoản {name} đã bị vô hiệu hóa."),
    "user.last_admin": Text(
        "{name} is the last active administrator; make someone else one first.",
        "{name} là quản trị viên cuối cùng còn hoạt động; vui "
        "lòng chỉ định người khác làm quản trị viên trước."),
    "user.disable_self": Text(
        "You cannot disable your own account; ask another administrator.",
        "Bạn không thể tự vô hiệu hóa tài khoản của mình; vui lòng nhờ một quản trị viên khác."),
    "auth.password_unchanged": Text(
        "The new password is the same as the current one; choose another.",
        "Mật khẩu mới trùng với mật khẩu hiện tại; vui lòng chọn mật khẩu khác."),
    # Categories and thesaurus (services/taxonomy.py)
    "taxonomy.label_vi_missing": Text(
        "A category needs a Vietnamese label.", "Danh mục cần có nhãn tiếng Việt."),
    "taxonomy.label_en_missing": Text(
        "A category needs an English label.", "Danh mục cần có nhãn tiếng Anh."),
    "taxonomy.label_vi_too_long": Text(
        "A Vietnamese label may have at most {limit} characters.",
        "Nhãn tiếng Việt chỉ được dài tối đa {limit} ký tự."),
    "taxonomy.label_en_too_long": Text(
        "An English label may have at most {limit} characters.",
        "Nhãn tiếng Anh chỉ được dài tối đa {limit} ký tự."),
    "taxonomy.slug_invalid": Text(
        "A category slug is lower-case letters and digits joined by dashes, like van-hoa-di-san.",
        "Mã danh mục (slug) gồm chữ thường không dấu và chữ "
        "số nối bằng dấu gạch ngang, ví dụ van-hoa-di-san."),
    "taxonomy.category_missing": Text(
        "There is no category {category_id}.", "Không có danh mục số {category_id}."),
    "taxonomy.parent_cycle": Text(
        "A category cannot be placed under itself or one of its subcategories.",
        "Không thể đặt một danh mục vào bên dưới chính nó hoặc một danh mục con của nó."),
    "taxonomy.slug_taken": Text(
        "The slug {slug} is already used by another category.",
        "Mã {slug} đã được một danh mục khác sử dụng."),
    "taxonomy.category_in_use": Text(
        "Category {slug} still holds {count} asset(s); move them first.",
        "Danh mục {slug} vẫn còn {count} tư liệu; vui lòng chuyển chúng sang danh mục khác trước."),
    "taxonomy.category_has_children": Text(
        "Category {slug} has subcategories; move or delete them first.",
        "Danh mục {slug} còn danh mục con; vui lòng di chuyển hoặc xóa chúng trước."),
    "taxonomy.terms_vi_missing": Text(
        "A thesaurus entry needs at least one Vietnamese term.",
        "Mục từ điển đồng nghĩa cần có ít nhất một thuật ngữ tiếng Việt."),
    "taxonomy.terms_en_missing": Text(
        "A thesaurus entry needs at least one English term.",
        "Mục từ điển đồng nghĩa cần có ít nhất một thuật ngữ tiếng Anh."),
    "taxonomy.term_missing": Text(
        "There is no thesaurus entry {term_id}.", "Không có mục từ điển đồng nghĩa số {term_id}."),
    # Review comments and reasons (services/review.py, review_rules.py)
    "review.reason_required": Text(
        "A rejection needs a reason; say what the contributor should change.",
        "Từ chối cần có lý do; vui lòng nêu rõ cộng tác viên cần sửa những gì."),
    "review.comment_too_long": Text(
        "A comment may have at most {limit} characters.", "Nhận xét chỉ được dài tối đa {limit} ký tự."),
    # Rights and licences (services/rights.py)
    "rights.licence_unknown": Text(
        "Unknown licence {value}; choose one of {known}.",
        "Giấy phép {value} không hợp lệ; vui lòng chọn một trong các giấy phép {known}."),
    "rights.licence_url_unknown": Text(
        "The licence address {url} is not one of the supported licences.",
        "Địa chỉ giấy phép {url} không thuộc các giấy phép được hỗ trợ."),
    # API keys (services/apikeys.py)
    "apikey.name_missing": Text(
        "An API key needs a name saying which partner system uses it.",
        "Khóa API cần có tên cho biết hệ thống đối tác nào sử dụng nó."),
    "apikey.scope_unknown": Text(
        "Unknown API key scope {scopes}; use {known}.",
        "Phạm vi khóa API không hợp lệ: {scopes}; vui lòng dùng {known}."),
    # Run-time settings, bulk edits, maintenance (services/ui_settings.py, ui_bulk.py, ui_admin.py)
    "settings.too_long": Text(
        "This setting takes at most {limit} characters.", "Thiết lập này chỉ nhận tối đa {limit} ký tự."),
    "settings.per_page_not_number": Text(
        "Thumbnails per page is a whole number.", "Số ảnh thu nhỏ mỗi trang phải là số nguyên."),
    "settings.per_page_choices": Text(
        "Thumbnails per page is one of {choices}.",
        "Số ảnh thu nhỏ mỗi trang phải là một trong các giá trị {choices}."),
    "settings.unknown": Text("Unknown setting(s) {names}.", "Thiết lập không xác định: {names}."),
    "bulk.no_fields": Text(
        "Choose at least one field to change.", "Vui lòng chọn ít nhất một trường cần thay đổi."),
    "admin.job_unknown": Text("Unknown maintenance job {job}.", "Tác vụ bảo trì {job} không xác định."),
}
