/**
 * The icons this window draws, imported one by one: each carries its SVG paths, so nothing is
 * fetched lazily and icons never pop in after the text. Blueprint's own components still load
 * theirs by name the first time they need one.
 */
export { CaretDownIcon } from '@blueprintjs/icons/lib/esm/generated/components/caret-down';
export { CaretUpIcon } from '@blueprintjs/icons/lib/esm/generated/components/caret-up';
export { CrossIcon } from '@blueprintjs/icons/lib/esm/generated/components/cross';
export { DesktopIcon } from '@blueprintjs/icons/lib/esm/generated/components/desktop';
export { DuplicateIcon } from '@blueprintjs/icons/lib/esm/generated/components/duplicate';
export { ErrorIcon } from '@blueprintjs/icons/lib/esm/generated/components/error';
export { OfflineIcon } from '@blueprintjs/icons/lib/esm/generated/components/offline';
export { RefreshIcon } from '@blueprintjs/icons/lib/esm/generated/components/refresh';
export { SearchIcon } from '@blueprintjs/icons/lib/esm/generated/components/search';
export { TickIcon } from '@blueprintjs/icons/lib/esm/generated/components/tick';
export { WarningSignIcon } from '@blueprintjs/icons/lib/esm/generated/components/warning-sign';
export { FilterRemoveIcon } from '@blueprintjs/icons/lib/esm/generated/components/filter-remove';
export { ChevronDownIcon } from '@blueprintjs/icons/lib/esm/generated/components/chevron-down';
export { ChevronRightIcon } from '@blueprintjs/icons/lib/esm/generated/components/chevron-right';
export { DashboardIcon } from '@blueprintjs/icons/lib/esm/generated/components/dashboard';
export { LayersIcon } from '@blueprintjs/icons/lib/esm/generated/components/layers';
export { AddIcon } from '@blueprintjs/icons/lib/esm/generated/components/add';
export { StopIcon } from '@blueprintjs/icons/lib/esm/generated/components/stop';
export { RepeatIcon } from '@blueprintjs/icons/lib/esm/generated/components/repeat';
export { UploadIcon } from '@blueprintjs/icons/lib/esm/generated/components/upload';
export { ArrowLeftIcon } from '@blueprintjs/icons/lib/esm/generated/components/arrow-left';
export { HistoryIcon } from '@blueprintjs/icons/lib/esm/generated/components/history';
export { CubeIcon } from '@blueprintjs/icons/lib/esm/generated/components/cube';
export { TimelineEventsIcon } from '@blueprintjs/icons/lib/esm/generated/components/timeline-events';
export { ChevronUpIcon } from '@blueprintjs/icons/lib/esm/generated/components/chevron-up';
export { DownloadIcon } from '@blueprintjs/icons/lib/esm/generated/components/download';
export { DoubleChevronUpIcon } from '@blueprintjs/icons/lib/esm/generated/components/double-chevron-up';
export { DoubleChevronDownIcon } from '@blueprintjs/icons/lib/esm/generated/components/double-chevron-down';
export { FolderCloseIcon } from '@blueprintjs/icons/lib/esm/generated/components/folder-close';
export { DocumentIcon } from '@blueprintjs/icons/lib/esm/generated/components/document';
export { ArrowsVerticalIcon } from '@blueprintjs/icons/lib/esm/generated/components/arrows-vertical';
export { CloudServerIcon } from '@blueprintjs/icons/lib/esm/generated/components/cloud-server';
export { ThListIcon } from '@blueprintjs/icons/lib/esm/generated/components/th-list';
export { LockIcon } from '@blueprintjs/icons/lib/esm/generated/components/lock';
export { UnlockIcon } from '@blueprintjs/icons/lib/esm/generated/components/unlock';
export { TrashIcon } from '@blueprintjs/icons/lib/esm/generated/components/trash';
export { PlayIcon } from '@blueprintjs/icons/lib/esm/generated/components/play';
export { BanCircleIcon } from '@blueprintjs/icons/lib/esm/generated/components/ban-circle';
export { TimeIcon } from '@blueprintjs/icons/lib/esm/generated/components/time';
export { DataConnectionIcon } from '@blueprintjs/icons/lib/esm/generated/components/data-connection';
export { EditIcon } from '@blueprintjs/icons/lib/esm/generated/components/edit';
export { FloppyDiskIcon } from '@blueprintjs/icons/lib/esm/generated/components/floppy-disk';
export { ImportIcon } from '@blueprintjs/icons/lib/esm/generated/components/import';
export { LogInIcon } from '@blueprintjs/icons/lib/esm/generated/components/log-in';
export { TickCircleIcon } from '@blueprintjs/icons/lib/esm/generated/components/tick-circle';
export { InfoSignIcon } from '@blueprintjs/icons/lib/esm/generated/components/info-sign';
export { PulseIcon } from '@blueprintjs/icons/lib/esm/generated/components/pulse';
